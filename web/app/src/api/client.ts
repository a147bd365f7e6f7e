// The app's one ParleyClient: same origin as the page (the server serves the app), tokens in
// localStorage so a reload stays signed in (refreshes coordinated across tabs), and a WebSocket
// that follows the browser's online/offline events.

import { LocalStorageTokenStore, ParleyClient, type RealtimeClient } from "@parley/sdk";
import { OnlineAwareWebSocket } from "./online_socket";
import { clearRotations } from "./rotations";
import { TOKENS_KEY, tabSafeFetch, watchOtherTabs } from "./tab_sync";

export const parley = new ParleyClient({
  baseUrl: location.origin,
  fetch: tabSafeFetch(globalThis.fetch.bind(globalThis)),
  tokenStore: new LocalStorageTokenStore(TOKENS_KEY),
  WebSocket: OnlineAwareWebSocket,
});

export const rt: RealtimeClient = parley.realtime();

// Signed out in another tab: this one too (its tokens were revoked with the session).
watchOtherTabs(() => void parley.tokens.signOut());
parley.onTokens((_t, change) => {
  if (change === "signout") void clearRotations().catch(() => undefined);
});
