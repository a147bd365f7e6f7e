// @parley/sdk — the public surface.

export { ParleyClient, wsUrlFor, type ParleyClientOptions } from "./client.js";
export { ParleyError, parseRetryAfter, problemFromResponse, type Problem } from "./errors.js";
export { MemoryTokenStore, LocalStorageTokenStore, type TokenStore, type StoredTokens, type StorageLike } from "./token_store.js";
export { TokenManager, refreshDelayMs, type TokenManagerOptions, type TokenChange } from "./token_manager.js";
export { AuthApi, type SignupInput, type LoginInput } from "./api/auth.js";
export { MeApi } from "./api/me.js";
export { UsersApi } from "./api/users.js";
export { RoomsApi } from "./api/rooms.js";
export { MessagesApi, type MessageQuery, type SendInput } from "./api/messages.js";
export { Http, buildUrl, type FetchLike, type RequestOptions } from "./http.js";
export {
  RealtimeClient,
  type RealtimeOptions,
  type RealtimeEvents,
  type ConnectionState,
  type StateChange,
  type RetryInfo,
  type RoomClosed,
  type WebSocketLike,
  type WebSocketConstructor,
} from "./realtime/client.js";
export type { Ack } from "./realtime/outbox.js";
export { CloseCode } from "./realtime/frames.js";
export type * from "./realtime/frames.js";
export { Backoff, fullJitter, type BackoffOptions } from "./backoff.js";
export { SeqTracker, type SeqVerdict } from "./realtime/seq_tracker.js";
export { TypingThrottle } from "./realtime/typing_throttle.js";
export { newClientId, CLIENT_ID_PATTERN } from "./ids.js";
export { systemClock, type Clock } from "./clock.js";
export type * from "./types.js";
