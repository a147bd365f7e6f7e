// The real-time connection's state for the banner: connecting, open, reconnecting, closed; and
// whether the browser says it is offline.

import { signal } from "@preact/signals";
import type { ConnectionState } from "@parley/sdk";
import { rt } from "../api/client";

export const connState = signal<ConnectionState>(rt.state);
export const online = signal<boolean>(navigator.onLine);
/** Set once the first connection was ready: "connecting" before that is not worth a banner. */
export const everConnected = signal(false);

rt.on("state", ({ state }) => {
  connState.value = state;
  if (state === "open") everConnected.value = true;
});
window.addEventListener("online", () => (online.value = true));
window.addEventListener("offline", () => (online.value = false));
