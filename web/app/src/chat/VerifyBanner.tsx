// Until the address is confirmed: a reminder, "send again", and the dev outbox when there is one.

import { useState } from "preact/hooks";
import { parley } from "../api/client";
import { errorText } from "../api/errors";
import { Link } from "../components/Link";
import { t } from "../i18n";
import { devOutbox } from "../state/dev";
import { me } from "../state/session";

export function VerifyBanner() {
  const [note, setNote] = useState<string | null>(null);
  const user = me.value;
  if (!user || user.email_verified !== false) return null;
  async function resend() {
    try {
      await parley.auth.resendVerification();
      setNote(t("auth.resent"));
    } catch (e) {
      setNote(errorText(e));
    }
  }
  return (
    <div class="verify-banner" role="status" data-testid="verify-banner">
      <p>{t("auth.verifyBanner", { email: user.email ?? "" })}</p>
      <p class="verify-banner__actions">
        <button type="button" class="link-button" onClick={resend}>{t("auth.resend")}</button>
        {devOutbox.value && <Link href="/outbox">{t("auth.openOutbox")}</Link>}
      </p>
      {note && <p class="muted">{note}</p>}
    </div>
  );
}
