// /reset-password?token=…: choose a new password. Every session ends, so sign in again after.

import { useState } from "preact/hooks";
import { parley } from "../api/client";
import { ErrorBox, Note } from "../components/Alert";
import { Field } from "../components/Field";
import { Link } from "../components/Link";
import { route } from "../router";
import { t } from "../i18n";
import { useSubmit } from "../components/useSubmit";
import { AuthLayout } from "./AuthLayout";
import { SignIn } from "./SignIn";

export function ResetPassword() {
  const token = route.value.query.get("token") ?? "";
  const [password, setPassword] = useState("");
  const [done, setDone] = useState(false);
  const { busy, error, run } = useSubmit();

  function submit(e: Event) {
    e.preventDefault();
    void run(async () => {
      await parley.auth.confirmPasswordReset(token, password);
      // The session of this browser (if any) was revoked with the others.
      await parley.auth.logout().catch(() => undefined);
      history.replaceState(null, "", "/sign-in");
      setDone(true);
    });
  }

  if (done) return <SignIn notice={t("auth.passwordChanged")} />;
  return (
    <AuthLayout title={t("auth.newPasswordTitle")}>
      {!token ? (
        <Note>{t("auth.missingToken")}</Note>
      ) : (
        <form onSubmit={submit} class="form" aria-busy={busy} noValidate>
          <Field label={t("auth.newPassword")} value={password} onValue={setPassword} type="password" name="password"
            autoComplete="new-password" required hint={t("auth.passwordHint")} error={error?.fields.password} />
          <ErrorBox error={error} />
          <button type="submit" class="button button--primary button--block" disabled={busy}>
            {t("auth.setPassword")}
          </button>
        </form>
      )}
      <p class="auth__alt">
        <Link href="/sign-in">{t("auth.backToSignIn")}</Link>
      </p>
    </AuthLayout>
  );
}
