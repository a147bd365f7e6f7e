// The dev outbox (--dev servers only): the mails the server would have sent, with their links
// opened inside the app, so a newcomer can verify an address without SMTP.

import { useEffect, useState } from "preact/hooks";
import { Link } from "../components/Link";
import { getMail, inAppPath, listOutbox, type OutboxMail } from "../state/dev";
import { authState } from "../state/session";
import { fullWhen } from "../format";
import { t } from "../i18n";
import { AuthLayout } from "./AuthLayout";

export function Outbox() {
  const [mails, setMails] = useState<OutboxMail[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<Record<string, string>>({});

  async function refresh() {
    setError(null);
    try {
      setMails(await listOutbox());
    } catch (e) {
      setError(String(e));
    }
  }
  useEffect(() => void refresh(), []);

  async function show(id: string) {
    if (open[id] !== undefined) {
      const { [id]: _, ...rest } = open;
      setOpen(rest);
      return;
    }
    try {
      const m = await getMail(id);
      setOpen({ ...open, [id]: m.text ?? "" });
    } catch (e) {
      setError(String(e));
    }
  }

  return (
    <AuthLayout title={t("outbox.title")}>
      <p>{t("outbox.intro")}</p>
      <p>
        <button type="button" class="button button--small" onClick={refresh}>
          {t("outbox.refresh")}
        </button>{" "}
        <Link href={authState.value === "signedIn" ? "/" : "/sign-in"}>{authState.value === "signedIn" ? t("nav.chats") : t("auth.backToSignIn")}</Link>
      </p>
      {error && <p class="alert alert--error" role="alert">{error}</p>}
      {mails && mails.length === 0 && <p>{t("outbox.empty")}</p>}
      <ul class="outbox" aria-label={t("outbox.title")}>
        {mails?.map((m) => (
          <li class="outbox__mail" key={m.id} data-testid="outbox-mail">
            <p class="outbox__subject">{m.subject}</p>
            <p class="outbox__meta">
              {t("outbox.to")}: <span class="outbox__to">{m.to}</span> · <time dateTime={m.created_at}>{fullWhen(m.created_at)}</time>
            </p>
            {m.links.length > 0 && (
              <ul class="outbox__links" aria-label={t("outbox.links")}>
                {m.links.map((l) => (
                  <li>
                    <Link href={inAppPath(l)} class="outbox__link">
                      {inAppPath(l).split("?")[0]}
                    </Link>
                  </li>
                ))}
              </ul>
            )}
            <button type="button" class="button button--ghost button--small" aria-expanded={open[m.id] !== undefined} onClick={() => show(m.id)}>
              {t("outbox.show")}
            </button>
            {open[m.id] !== undefined && <pre class="outbox__text">{open[m.id]}</pre>}
          </li>
        ))}
      </ul>
    </AuthLayout>
  );
}
