// ParleyClient: one object for an app — the REST API groups, the tokens, and the real-time client.

import { AuthApi } from "./api/auth.js";
import { MeApi } from "./api/me.js";
import { UsersApi } from "./api/users.js";
import { MessagesApi } from "./api/messages.js";
import { RoomsApi } from "./api/rooms.js";
import { Http, type FetchLike } from "./http.js";
import { RealtimeClient, type RealtimeOptions, type WebSocketConstructor } from "./realtime/client.js";
import { TokenManager, type TokenChange, type TokenManagerOptions } from "./token_manager.js";
import { MemoryTokenStore, type StoredTokens, type TokenStore } from "./token_store.js";
import type { TokenPair } from "./types.js";

export interface ParleyClientOptions {
  /** The server, e.g. `https://chat.example.com` (the API is under /v1). */
  baseUrl: string;
  /** Defaults to the global fetch (browsers, Node 18+). */
  fetch?: FetchLike;
  /** Where tokens are kept. Default: memory. Browsers: `new LocalStorageTokenStore()`. */
  tokenStore?: TokenStore;
  /** Refresh timing (margin before expiry, auto refresh on/off, clock). */
  tokens?: TokenManagerOptions;
  /** WebSocket implementation; default globalThis.WebSocket (browsers, Node 22+). Node 18/20: npm `ws`. */
  WebSocket?: WebSocketConstructor;
  /** Default: baseUrl with ws(s):// and /v1/ws. */
  wsUrl?: string;
  /** Reconnect, heartbeat and typing settings of the real-time client. */
  realtime?: Omit<RealtimeOptions, "url" | "WebSocket" | "getToken" | "refreshToken">;
}

/** `http://host:8080/base` → `ws://host:8080/base/v1/ws` (https → wss). */
export function wsUrlFor(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, "").replace(/^http(s?):/i, "ws$1:") + "/v1/ws";
}

export class ParleyClient {
  readonly tokens: TokenManager;
  readonly auth: AuthApi;
  readonly me: MeApi;
  readonly users: UsersApi;
  readonly rooms: RoomsApi;
  readonly messages: MessagesApi;
  private readonly http: Http;
  private rt: RealtimeClient | null = null;

  constructor(private readonly opts: ParleyClientOptions) {
    const f = opts.fetch ?? (globalThis as { fetch?: FetchLike }).fetch?.bind(globalThis);
    if (!f) throw new TypeError("ParleyClient: no fetch here; pass one in options.fetch");
    let http: Http | null = null;
    this.tokens = new TokenManager(
      opts.tokenStore ?? new MemoryTokenStore(),
      (refresh_token) => (http as Http).request<TokenPair>("POST", "/v1/auth/refresh", { body: { refresh_token }, auth: false }),
      opts.tokens,
    );
    this.http = http = new Http(opts.baseUrl, this.tokens, f);
    this.auth = new AuthApi(this.http, this.tokens);
    this.me = new MeApi(this.http, this.tokens);
    this.users = new UsersApi(this.http);
    this.rooms = new RoomsApi(this.http);
    this.messages = new MessagesApi(this.http);
    // Signed out (logout, refused refresh, account deleted): the socket has nothing left to do.
    // Refreshed: the open socket gets the fresh token before the old one expires (same session).
    this.tokens.onChange((t, change) => {
      if (change === "signout") this.rt?.close();
      else if (change === "refresh" && t) this.rt?.useToken(t.accessToken);
    });
  }

  /** Reads stored tokens (e.g. from localStorage); true when signed in. */
  async restore(): Promise<boolean> {
    await this.tokens.load();
    return this.tokens.tokens !== null;
  }

  get signedIn(): boolean {
    return this.tokens.tokens !== null;
  }

  /** Called on sign-in, each refresh and sign-out. */
  onTokens(fn: (tokens: StoredTokens | null, change: TokenChange) => void): () => void {
    return this.tokens.onChange(fn);
  }

  /** The real-time client (one per ParleyClient, created on first use; call connect() on it). */
  realtime(): RealtimeClient {
    if (!this.rt) {
      this.rt = new RealtimeClient({
        ...this.opts.realtime,
        url: this.opts.wsUrl ?? wsUrlFor(this.opts.baseUrl),
        WebSocket: this.opts.WebSocket,
        getToken: () => this.tokens.accessToken(),
        refreshToken: (refused) => this.tokens.refresh(refused),
      });
    }
    return this.rt;
  }

  /** Stops timers and the socket (the stored tokens stay). */
  dispose(): void {
    this.tokens.dispose();
    this.rt?.close();
  }
}
