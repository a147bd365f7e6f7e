// Sign in with email or username and password; a second step asks for the TOTP (or a
// recovery code) when the account has two-factor authentication.

import { useState } from "preact/hooks";
import { parley } from "../api/client";
import { describeError, isCode, type ShownError } from "../api/errors";
import { ErrorBox, Note } from "../components/Alert";
import { Field } from "../components/Field";
import { Link } from "../components/Link";
import { signedIn } from "../state/session";
import { t } from "../i18n";
import { useSubmit } from "../components/useSubmit";
import { AuthLayout } from "./AuthLayout";

export function SignIn({ notice }: { notice?: string }) {
  const [login, setLogin] = useState("");
  const [password, setPassword] = useState("");
  const [totp, setTotp] = useState("");
  const [needTotp, setNeedTotp] = useState(false);
  const { busy, error, run } = useSubmit();

  function explain(err: unknown): ShownError | null {
    if (isCode(err, "mfa_required") && !needTotp) {
      setNeedTotp(true);
      return null;
    }
    if (isCode(err, "invalid_totp")) return { message: t("err.validation_failed"), fields: { totp: t("err.invalid_totp") } };
    return describeError(err);
  }

  function submit(e: Event) {
    e.preventDefault();
    void run(async () => {
      const r = await parley.auth.login({ login: login.trim(), password, ...(needTotp ? { totp: totp.trim() } : {}) });
      signedIn(r.user);
    }, explain);
  }

  return (
    <AuthLayout title={t("auth.signInTitle")}>
      {notice && <Note kind="success">{notice}</Note>}
      <form onSubmit={submit} class="form" aria-busy={busy} noValidate>
        <Field label={t("auth.login")} value={login} onValue={setLogin} autoComplete="username" name="login" required
          error={error?.fields.login} disabled={needTotp} />
        <Field label={t("auth.password")} value={password} onValue={setPassword} type="password" name="password"
          autoComplete="current-password" required error={error?.fields.password} disabled={needTotp} />
        {needTotp && (
          <>
            <Note>{t("auth.mfaNeeded")}</Note>
            <Field label={t("auth.totp")} value={totp} onValue={setTotp} name="totp" autoComplete="one-time-code"
              inputMode="numeric" hint={t("auth.totpHint")} error={error?.fields.totp} autoFocus required />
          </>
        )}
        <ErrorBox error={error} />
        <button type="submit" class="button button--primary button--block" disabled={busy}>
          {t("auth.signIn")}
        </button>
      </form>
      <p class="auth__alt">
        <Link href="/forgot-password">{t("auth.forgot")}</Link>
      </p>
      <p class="auth__alt">
        {t("auth.noAccount")} <Link href="/sign-up">{t("auth.signUp")}</Link>
      </p>
    </AuthLayout>
  );
}
