// The signed-in layout: the sidebar and the main pane (a room, settings, or a hint). On a phone
// only one of the two shows: the list at "/", the pane elsewhere.

import type { ComponentChildren } from "preact";
import { t } from "../i18n";
import { Sidebar } from "./Sidebar";

export function ChatPage({ pane, children }: { pane: boolean; children?: ComponentChildren }) {
  return (
    <div class={"shell" + (pane ? " shell--pane" : "")}>
      <Sidebar />
      <main id="main" class="shell__main" tabIndex={-1}>
        {children ?? (
          <div class="empty-pane">
            <span class="brand__mark brand__mark--big" aria-hidden="true" />
            <p>{t("rooms.pick")}</p>
          </div>
        )}
      </main>
    </div>
  );
}
