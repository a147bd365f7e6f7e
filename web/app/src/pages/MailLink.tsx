// /verify-email?token=… and /confirm-email?token=…: confirm with the mailed token, signed in or
// not, and say how it went.

import { useEffect, useState } from "preact/hooks";
import type { User } from "@parley/sdk";
import { parley } from "../api/client";
import { describeError, type ShownError } from "../api/errors";
import { ErrorBox, Note } from "../components/Alert";
import { Link } from "../components/Link";
import { authState, me } from "../state/session";
import { route } from "../router";
import { t } from "../i18n";
import { AuthLayout } from "./AuthLayout";

const started = new Set<string>(); // a token is single use: confirm it once per page load

export function MailLink({ kind }: { kind: "verify" | "email-change" }) {
  const token = route.value.query.get("token") ?? "";
  const [user, setUser] = useState<User | null>(null);
  const [error, setError] = useState<ShownError | null>(null);

  useEffect(() => {
    if (!token || started.has(token)) return;
    started.add(token);
    const call = kind === "verify" ? parley.auth.verifyEmail(token) : parley.auth.confirmEmailChange(token);
    call.then(
      (u) => {
        setUser(u);
        if (me.value && me.value.id === u.id) me.value = { ...me.value, ...u };
      },
      (e: unknown) => setError(describeError(e)),
    );
  }, [token, kind]);

  const signedIn = authState.value === "signedIn";
  return (
    <AuthLayout title={t("auth.verifying").replace(/…$/, "")}>
      {!token && <Note>{t("auth.missingToken")}</Note>}
      {token && !user && !error && <p role="status">{t("auth.verifying")}</p>}
      {user && (
        <Note kind="success">
          <span data-testid="mail-link-done">{kind === "verify" ? t("auth.verified") : t("auth.emailChanged", { email: user.email ?? "" })}</span>
        </Note>
      )}
      <ErrorBox error={error} />
      <p class="auth__alt">
        <Link href={signedIn ? "/" : "/sign-in"} class="button button--primary">
          {signedIn ? t("auth.continue") : t("auth.backToSignIn")}
        </Link>
      </p>
    </AuthLayout>
  );
}
