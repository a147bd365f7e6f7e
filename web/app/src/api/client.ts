// The app's one ParleyClient: same origin as the page (the server serves the app), tokens in
// localStorage so a reload stays signed in, and a WebSocket that follows online/offline.

import { LocalStorageTokenStore, ParleyClient, type RealtimeClient } from "@parley/sdk";
import { OnlineAwareWebSocket } from "./online_socket";

export const parley = new ParleyClient({
  baseUrl: location.origin,
  tokenStore: new LocalStorageTokenStore("parley.tokens"),
  WebSocket: OnlineAwareWebSocket,
});

export const rt: RealtimeClient = parley.realtime();
