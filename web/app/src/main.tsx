// Entry: styles, the chat's start/stop around sign-in, the dev outbox probe, render.

import { render } from "preact";
import "./styles/app.css";
import "./theme";
import "./i18n";
import { App } from "./app";
import { startConversations, stopConversations } from "./state/conversation";
import { probeDevOutbox } from "./state/dev";
import { startPresence, stopPresence } from "./state/presence";
import { startRooms, stopRooms, totalUnread } from "./state/rooms";
import { effect } from "@preact/signals";
import { bootstrap, sessionHooks } from "./state/session";
import "./state/connection";

sessionHooks(
  () => {
    startConversations();
    startPresence();
    startRooms();
  },
  () => {
    stopRooms();
    stopPresence();
    stopConversations();
  },
);

render(<App />, document.getElementById("app")!);
void probeDevOutbox();
void bootstrap();

// The tab's title counts the rooms with unread messages.
effect(() => {
  const n = totalUnread.value;
  document.title = n > 0 ? `(${n}) Parley` : "Parley";
});
