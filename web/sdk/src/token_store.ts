// Where the tokens live between calls (and, with localStorage, between page loads).

export interface StoredTokens {
  accessToken: string;
  refreshToken: string;
  /** When the access token expires, in ms since the epoch. */
  expiresAt: number;
}

export interface TokenStore {
  get(): StoredTokens | null | Promise<StoredTokens | null>;
  set(tokens: StoredTokens | null): void | Promise<void>;
}

/** The default: tokens live as long as the client object. */
export class MemoryTokenStore implements TokenStore {
  private tokens: StoredTokens | null = null;
  get(): StoredTokens | null {
    return this.tokens;
  }
  set(tokens: StoredTokens | null): void {
    this.tokens = tokens;
  }
}

/** The part of the Web Storage API the adapter uses (localStorage, sessionStorage, or a stand-in). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Keeps the tokens in localStorage (browsers) under one key, so a reload stays signed in.
 * Anything on the page can read localStorage: use it only on pages that load no untrusted script.
 */
export class LocalStorageTokenStore implements TokenStore {
  private readonly storage: StorageLike;
  constructor(private readonly key = "parley.tokens", storage?: StorageLike) {
    const s = storage ?? (globalThis as { localStorage?: StorageLike }).localStorage;
    if (!s) throw new TypeError("LocalStorageTokenStore: no localStorage here; pass a storage");
    this.storage = s;
  }
  get(): StoredTokens | null {
    const raw = this.storage.getItem(this.key);
    if (raw === null) return null;
    try {
      const t = JSON.parse(raw) as Partial<StoredTokens>;
      if (typeof t.accessToken === "string" && typeof t.refreshToken === "string" && typeof t.expiresAt === "number") {
        return { accessToken: t.accessToken, refreshToken: t.refreshToken, expiresAt: t.expiresAt };
      }
    } catch {
      // fall through: a corrupt entry is as good as none
    }
    this.storage.removeItem(this.key);
    return null;
  }
  set(tokens: StoredTokens | null): void {
    if (tokens === null) this.storage.removeItem(this.key);
    else this.storage.setItem(this.key, JSON.stringify(tokens));
  }
}
