// Two-factor authentication: enrol (the server's QR code as an image, the key for typing in),
// activate with a code, show the recovery codes once; or turn it off (password and a code).

import { useState } from "preact/hooks";
import type { TotpEnrollment } from "@parley/sdk";
import { parley } from "../api/client";
import { ErrorBox, Note } from "../components/Alert";
import { Field } from "../components/Field";
import { t } from "../i18n";
import { me, reloadMe } from "../state/session";
import { useSubmit } from "../components/useSubmit";

/** The SVG as an <img> (data: URL): no script of it can run, and the CSP allows data: images. */
function svgUrl(svg: string): string {
  return "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
}

export function TotpSection() {
  const enabled = me.value?.mfa_enabled === true;
  const [enrolment, setEnrolment] = useState<TotpEnrollment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const s = useSubmit();

  const start = () => void s.run(async () => setEnrolment(await parley.auth.enrollTotp()));
  const activate = (e: Event) => {
    e.preventDefault();
    void s.run(async () => {
      const r = await parley.auth.activateTotp(code.trim());
      setCodes(r.recovery_codes);
      setEnrolment(null);
      setCode("");
    });
  };
  const finish = () => {
    setCodes(null);
    void reloadMe();
  };
  const disable = (e: Event) => {
    e.preventDefault();
    void s.run(async () => {
      await parley.auth.disableTotp(password, code.trim());
      setPassword("");
      setCode("");
      await reloadMe();
    });
  };

  return (
    <section class="settings__section" aria-labelledby="s-totp">
      <h2 id="s-totp">{t("settings.totp")}</h2>
      {codes ? (
        <>
          <Note kind="success">{t("settings.totpCodes")}</Note>
          <ul class="recovery-codes" data-testid="recovery-codes">
            {codes.map((c) => <li><code>{c}</code></li>)}
          </ul>
          <button type="button" class="button button--primary" onClick={finish}>{t("settings.totpDone")}</button>
        </>
      ) : enrolment ? (
        <form class="form" onSubmit={activate} aria-busy={s.busy} noValidate>
          <p>{t("settings.totpScan")}</p>
          <img class="totp-qr" src={svgUrl(enrolment.qr_svg)} alt={t("settings.totpQr")} width={200} height={200} data-testid="totp-qr" />
          <p>
            {t("settings.totpSecret")}: <code class="totp-secret" data-testid="totp-secret">{enrolment.secret}</code>
          </p>
          <Field label={t("settings.totpCode")} value={code} onValue={setCode} inputMode="numeric" autoComplete="one-time-code" autoFocus error={s.error?.fields.code} />
          <ErrorBox error={s.error} />
          <button type="submit" class="button button--primary" disabled={s.busy}>{t("settings.totpActivate")}</button>
        </form>
      ) : enabled ? (
        <form class="form" onSubmit={disable} aria-busy={s.busy} noValidate>
          <Note kind="success">{t("settings.totpOn")}</Note>
          <Field label={t("settings.currentPassword")} value={password} onValue={setPassword} type="password" autoComplete="current-password" error={s.error?.fields.password} />
          <Field label={t("settings.totpCode")} value={code} onValue={setCode} autoComplete="one-time-code" hint={t("auth.totpHint")} error={s.error?.fields.code} />
          <ErrorBox error={s.error} />
          <button type="submit" class="button button--danger" disabled={s.busy}>{t("settings.totpDisable")}</button>
        </form>
      ) : (
        <>
          <p>{t("settings.totpOff")}</p>
          <ErrorBox error={s.error} />
          <button type="button" class="button" onClick={start} disabled={s.busy} data-testid="totp-enable">{t("settings.totpEnable")}</button>
        </>
      )}
    </section>
  );
}
