// Create an account (signed in at once; a verification mail is sent).

import { useState } from "preact/hooks";
import { parley } from "../api/client";
import { describeError, type ShownError } from "../api/errors";
import { ErrorBox } from "../components/Alert";
import { Field } from "../components/Field";
import { Link } from "../components/Link";
import { signedIn } from "../state/session";
import { navigate } from "../router";
import { t } from "../i18n";
import { useSubmit } from "../components/useSubmit";
import { AuthLayout } from "./AuthLayout";

export function SignUp() {
  const [email, setEmail] = useState("");
  const [username, setUsername] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const { busy, error, run } = useSubmit();

  function explain(err: unknown): ShownError {
    const d = describeError(err);
    // email_taken / username_taken belong to a field too.
    if (d.fields && (err as { code?: string }).code === "email_taken") d.fields = { ...d.fields, email: d.message };
    if (d.fields && (err as { code?: string }).code === "username_taken") d.fields = { ...d.fields, username: d.message };
    return d;
  }

  function submit(e: Event) {
    e.preventDefault();
    void run(async () => {
      const name = displayName.trim();
      const r = await parley.auth.signup({ email: email.trim(), username: username.trim(), password, ...(name ? { display_name: name } : {}) });
      navigate("/", { replace: true });
      signedIn(r.user);
    }, explain);
  }

  return (
    <AuthLayout title={t("auth.signUpTitle")}>
      <form onSubmit={submit} class="form" aria-busy={busy} noValidate>
        <Field label={t("auth.email")} value={email} onValue={setEmail} type="email" name="email" autoComplete="email" required error={error?.fields.email} />
        <Field label={t("auth.username")} value={username} onValue={setUsername} name="username" autoComplete="username" required
          hint={t("auth.usernameHint")} error={error?.fields.username} />
        <Field label={t("auth.displayName")} value={displayName} onValue={setDisplayName} name="display_name" autoComplete="name" error={error?.fields.display_name} />
        <Field label={t("auth.password")} value={password} onValue={setPassword} type="password" name="password" autoComplete="new-password"
          required hint={t("auth.passwordHint")} error={error?.fields.password} />
        <ErrorBox error={error} />
        <button type="submit" class="button button--primary button--block" disabled={busy}>
          {t("auth.signUp")}
        </button>
      </form>
      <p class="auth__alt">
        {t("auth.haveAccount")} <Link href="/sign-in">{t("auth.signIn")}</Link>
      </p>
    </AuthLayout>
  );
}
