// Your data: download everything the server holds about you (GET /v1/me/export, as a JSON file),
// and erase the account (DELETE /v1/me: the password, and a one-time code when two-factor
// authentication is on; every session ends).

import { useState } from "preact/hooks";
import { parley } from "../api/client";
import { ErrorBox, Note } from "../components/Alert";
import { Field } from "../components/Field";
import { useSubmit } from "../components/useSubmit";
import { t } from "../i18n";
import { me } from "../state/session";

export function AccountDataSection() {
  const exporting = useSubmit();
  const deleting = useSubmit();
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const mfa = me.value?.mfa_enabled === true;

  const download = () => void exporting.run(async () => {
    const data = await parley.me.export();
    const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `parley-export-${me.value?.username ?? "me"}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    return t("settings.exported");
  });

  const erase = (e: Event) => {
    e.preventDefault();
    if (!confirm(t("settings.confirmDelete"))) return;
    void deleting.run(() => parley.me.delete(password, mfa ? code.trim() : undefined));
  };

  return (
    <section class="settings__section" aria-labelledby="s-data">
      <h2 id="s-data">{t("settings.data")}</h2>
      <p class="muted">{t("settings.exportHint")}</p>
      <button type="button" class="button" onClick={download} disabled={exporting.busy} data-testid="export-data">
        {t("settings.export")}
      </button>
      <ErrorBox error={exporting.error} />
      {exporting.done && <Note kind="success">{exporting.done}</Note>}
      <details>
        <summary>{t("settings.deleteAccount")}</summary>
        <form class="form" onSubmit={erase} aria-busy={deleting.busy} noValidate>
          <p class="muted">{t("settings.deleteHint")}</p>
          <Field label={t("settings.currentPassword")} value={password} onValue={setPassword} type="password"
            autoComplete="current-password" name="delete_password" error={deleting.error?.fields.password} />
          {mfa && <Field label={t("auth.totp")} value={code} onValue={setCode} name="delete_totp" autoComplete="one-time-code"
            error={deleting.error?.fields.totp} />}
          <ErrorBox error={deleting.error} />
          <button type="submit" class="button button--danger" disabled={deleting.busy || !password} data-testid="delete-account">
            {t("settings.deleteAccount")}
          </button>
        </form>
      </details>
    </section>
  );
}
