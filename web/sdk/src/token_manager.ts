// Holds the tokens, refreshes the access token before it expires (a timer) and on demand (a
// 401, or a token about to expire when a request starts). Refresh tokens rotate and a reused
// one revokes the session, so there is never more than one refresh in flight.

import { systemClock, type Clock, type TimerHandle } from "./clock.js";
import { ParleyError } from "./errors.js";
import type { StoredTokens, TokenStore } from "./token_store.js";
import type { TokenPair } from "./types.js";

export type TokenChange = "signin" | "refresh" | "signout";

export interface TokenManagerOptions {
  /** Refresh this long before expiry (at most half of the remaining lifetime). Default 60 s. */
  refreshMarginMs?: number;
  /** A request starting with less validity than this refreshes first. Default 5 s. */
  minValidityMs?: number;
  /** Refresh on a timer before expiry. Default true. */
  autoRefresh?: boolean;
  /** Wait before trying a failed timer refresh again (network trouble). Default 10 s. */
  retryMs?: number;
  clock?: Clock;
}

/** When to refresh a token expiring at `expiresAt`: `marginMs` early, but never before half of the remaining lifetime. */
export function refreshDelayMs(expiresAt: number, now: number, marginMs: number): number {
  const remaining = expiresAt - now;
  if (remaining <= 0) return 0;
  return remaining - Math.min(marginMs, remaining / 2);
}

export function tokensFromPair(pair: TokenPair, now: number): StoredTokens {
  return { accessToken: pair.access_token, refreshToken: pair.refresh_token, expiresAt: now + pair.expires_in * 1000 };
}

export class TokenManager {
  private current: StoredTokens | null = null;
  private loaded: Promise<void> | null = null;
  private inflight: Promise<StoredTokens> | null = null;
  private timer: TimerHandle | undefined;
  private listeners = new Set<(tokens: StoredTokens | null, change: TokenChange) => void>();
  private readonly clock: Clock;
  private readonly marginMs: number;
  private readonly minValidityMs: number;
  private readonly autoRefresh: boolean;
  private readonly retryMs: number;

  constructor(
    private readonly store: TokenStore,
    private readonly refreshFn: (refreshToken: string) => Promise<TokenPair>,
    opts: TokenManagerOptions = {},
  ) {
    this.clock = opts.clock ?? systemClock;
    this.marginMs = opts.refreshMarginMs ?? 60_000;
    this.minValidityMs = opts.minValidityMs ?? 5_000;
    this.autoRefresh = opts.autoRefresh ?? true;
    this.retryMs = opts.retryMs ?? 10_000;
  }

  /** Reads the store once (e.g. tokens kept in localStorage by an earlier page load). */
  load(): Promise<void> {
    if (!this.loaded) {
      this.loaded = Promise.resolve(this.store.get()).then((t) => {
        this.current = t;
        this.schedule();
      });
    }
    return this.loaded;
  }

  /** The tokens as they are now (after load()). */
  get tokens(): StoredTokens | null {
    return this.current;
  }

  onChange(fn: (tokens: StoredTokens | null, change: TokenChange) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  async signIn(pair: TokenPair): Promise<void> {
    await this.load();
    await this.replace(tokensFromPair(pair, this.clock.now()), "signin");
  }

  async signOut(): Promise<void> {
    await this.load();
    await this.replace(null, "signout");
  }

  /** A usable access token (refreshed first when about to expire), or null when signed out. */
  async accessToken(): Promise<string | null> {
    await this.load();
    const t = this.current;
    if (!t) return null;
    if (t.expiresAt - this.clock.now() > this.minValidityMs) return t.accessToken;
    return (await this.refresh()).accessToken;
  }

  /**
   * Refreshes now. With `staleAccessToken` (the token a request was refused with), a refresh that
   * already replaced it is reused instead of starting another. Concurrent calls share one refresh.
   * A refused refresh (401/400) signs out and throws.
   */
  async refresh(staleAccessToken?: string): Promise<StoredTokens> {
    await this.load();
    if (this.inflight) return this.inflight;
    const t = this.current;
    if (!t) throw ParleyError.local("unauthenticated", "not signed in");
    if (staleAccessToken !== undefined && t.accessToken !== staleAccessToken) return t;
    this.inflight = (async () => {
      try {
        const pair = await this.refreshFn(t.refreshToken);
        const next = tokensFromPair(pair, this.clock.now());
        await this.replace(next, "refresh");
        return next;
      } catch (e) {
        if (e instanceof ParleyError && (e.status === 401 || e.status === 400) && this.current === t) {
          await this.replace(null, "signout");
        }
        throw e;
      } finally {
        this.inflight = null;
      }
    })();
    return this.inflight;
  }

  /** Stops the refresh timer (the tokens stay). */
  dispose(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async replace(next: StoredTokens | null, change: TokenChange): Promise<void> {
    this.current = next;
    await this.store.set(next);
    this.schedule();
    for (const fn of [...this.listeners]) fn(next, change);
  }

  private schedule(delayMs?: number): void {
    this.dispose();
    const t = this.current;
    if (!t || !this.autoRefresh) return;
    const delay = delayMs ?? refreshDelayMs(t.expiresAt, this.clock.now(), this.marginMs);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.refresh().catch((e) => {
        // Signed out: nothing to schedule. Otherwise (network) try again a little later.
        if (this.current === t && !(e instanceof ParleyError && (e.status === 401 || e.status === 400))) {
          this.schedule(this.retryMs);
        }
      });
    }, delay);
  }
}
