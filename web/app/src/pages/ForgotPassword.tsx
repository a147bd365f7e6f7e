// Ask for a password-reset mail (the server answers the same whether or not the address exists).

import { useState } from "preact/hooks";
import { parley } from "../api/client";
import { ErrorBox, Note } from "../components/Alert";
import { Field } from "../components/Field";
import { Link } from "../components/Link";
import { devOutbox } from "../state/dev";
import { t } from "../i18n";
import { useSubmit } from "../components/useSubmit";
import { AuthLayout } from "./AuthLayout";

export function ForgotPassword() {
  const [email, setEmail] = useState("");
  const [sent, setSent] = useState<string | null>(null);
  const { busy, error, run } = useSubmit();

  function submit(e: Event) {
    e.preventDefault();
    void run(async () => {
      await parley.auth.requestPasswordReset(email.trim());
      setSent(email.trim());
    });
  }

  return (
    <AuthLayout title={t("auth.resetTitle")}>
      {sent ? (
        <>
          <Note kind="success">{t("auth.resetSent", { email: sent })}</Note>
          {devOutbox.value && (
            <p class="auth__alt">
              <Link href="/outbox">{t("auth.openOutbox")}</Link>
            </p>
          )}
        </>
      ) : (
        <form onSubmit={submit} class="form" aria-busy={busy} noValidate>
          <p>{t("auth.resetIntro")}</p>
          <Field label={t("auth.email")} value={email} onValue={setEmail} type="email" name="email" autoComplete="email" required error={error?.fields.email} />
          <ErrorBox error={error} />
          <button type="submit" class="button button--primary button--block" disabled={busy}>
            {t("auth.resetSend")}
          </button>
        </form>
      )}
      <p class="auth__alt">
        <Link href="/sign-in">{t("auth.backToSignIn")}</Link>
      </p>
    </AuthLayout>
  );
}
