// Shows when the real-time connection is not up: offline, reconnecting, or closed.

import { connState, everConnected, online } from "../state/connection";
import { t } from "../i18n";

export function ConnectionBanner() {
  const state = connState.value;
  let text: string | null = null;
  if (!online.value) text = t("conn.offline");
  else if (state === "reconnecting") text = t("conn.reconnecting");
  else if (state === "connecting" && everConnected.value) text = t("conn.connecting");
  else if (state === "closed" && everConnected.value) text = t("conn.closed");
  return (
    <div class={"conn-banner" + (text ? " conn-banner--shown" : "")} role="status" aria-live="polite" data-state={state} data-online={String(online.value)} data-testid="conn-banner">
      {text && (
        <>
          <span class="conn-banner__spinner" aria-hidden="true" />
          {text}
        </>
      )}
    </div>
  );
}
