// Where the account is signed in; sign out any other session.

import { useEffect, useState } from "preact/hooks";
import type { SessionInfo } from "@parley/sdk";
import { parley } from "../api/client";
import { ErrorBox } from "../components/Alert";
import { relative } from "../format";
import { t } from "../i18n";
import { useSubmit } from "../components/useSubmit";

/** "Chrome on Linux" from a user agent, roughly; the whole string is in the title. */
function device(ua: string): string {
  const browser = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrom(e|ium)\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : ua.split(" ")[0] || "?";
  const os = /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iOS" : /Windows/.test(ua) ? "Windows" : /Mac OS/.test(ua) ? "macOS" : /Linux/.test(ua) ? "Linux" : "";
  return os ? `${browser} · ${os}` : browser;
}

/** Every live session: the list is paginated, and an intruder must not hide past the first page. */
async function allSessions(): Promise<SessionInfo[]> {
  const out: SessionInfo[] = [];
  for await (const x of parley.auth.allSessions()) out.push(x);
  return out;
}

export function SessionsSection() {
  const [items, setItems] = useState<SessionInfo[] | null>(null);
  const s = useSubmit();
  const load = () => s.run(async () => setItems(await allSessions()));
  useEffect(() => void load(), []);
  const revoke = (id: string) =>
    void s.run(async () => {
      await parley.auth.revokeSession(id);
      setItems(await allSessions());
    });
  return (
    <section class="settings__section" aria-labelledby="s-sessions">
      <h2 id="s-sessions">{t("settings.sessions")}</h2>
      <p class="muted">{t("settings.sessionsIntro")}</p>
      <ErrorBox error={s.error} />
      <ul class="sessions" data-testid="sessions">
        {items?.map((x) => (
          <li class="sessions__item">
            <span class="sessions__text">
              <span title={x.user_agent}>{device(x.user_agent)}</span>
              {x.current && <span class="tag">{t("settings.thisDevice")}</span>}
              <span class="muted">
                {x.ip} · {t("settings.lastUsed", { when: relative(x.last_used_at) })} · {t("settings.started", { when: relative(x.created_at) })}
              </span>
            </span>
            {!x.current && (
              <button type="button" class="button button--small" onClick={() => revoke(x.id)} disabled={s.busy}>
                {t("settings.signOutSession")}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
