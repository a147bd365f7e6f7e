// Several tabs share one session (tokens in localStorage), but refresh tokens are single use: a
// tab that refreshes with a token another tab has already used revokes the whole session
// (`refresh_reused`). The SDK leaves tab coordination to the app; this does it:
//  - refreshes go through a Web Lock, one tab at a time, and inside it the stored tokens are
//    checked first: another tab rotated them already → its result is used instead of a second
//    refresh (the server is not asked again);
//  - a refresh's new tokens are stored before the lock is let go;
//  - signing out in one tab signs out the others.

import type { FetchLike, StoredTokens } from "@parley/sdk";

export const TOKENS_KEY = "parley.tokens";
const LOCK = "parley.refresh";

function stored(): StoredTokens | null {
  try {
    const t = JSON.parse(localStorage.getItem(TOKENS_KEY) ?? "null") as StoredTokens | null;
    return t && typeof t.refreshToken === "string" ? t : null;
  } catch {
    return null;
  }
}

function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  return locks ? (locks.request(LOCK, fn) as Promise<T>) : fn();
}

function tokenResponse(t: StoredTokens): Response {
  const body = {
    access_token: t.accessToken,
    refresh_token: t.refreshToken,
    token_type: "Bearer",
    expires_in: Math.max(1, Math.floor((t.expiresAt - Date.now()) / 1000)),
  };
  return new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
}

/** A fetch for the SDK that coordinates POST /v1/auth/refresh across tabs. */
export function tabSafeFetch(base: FetchLike): FetchLike {
  return (input, init) => {
    if (!input.endsWith("/v1/auth/refresh") || init?.method !== "POST" || typeof init.body !== "string") return base(input, init);
    const asked = (JSON.parse(init.body) as { refresh_token: string }).refresh_token;
    return withLock(async () => {
      const now = stored();
      let body = init.body as string;
      if (now && now.refreshToken !== asked) {
        // Another tab refreshed: use its tokens while they are good, else refresh from them.
        if (now.expiresAt - Date.now() > 30_000) return tokenResponse(now);
        body = JSON.stringify({ refresh_token: now.refreshToken });
      }
      const res = await base(input, { ...init, body });
      if (res.ok) {
        const pair = (await res.clone().json()) as { access_token: string; refresh_token: string; expires_in: number };
        const next: StoredTokens = { accessToken: pair.access_token, refreshToken: pair.refresh_token, expiresAt: Date.now() + pair.expires_in * 1000 };
        localStorage.setItem(TOKENS_KEY, JSON.stringify(next));
      }
      return res;
    });
  };
}

/** Calls `onSignedOutElsewhere` when another tab removes the tokens (sign-out). */
export function watchOtherTabs(onSignedOutElsewhere: () => void): void {
  window.addEventListener("storage", (e) => {
    if (e.key === TOKENS_KEY && e.newValue === null && e.oldValue !== null) onSignedOutElsewhere();
  });
}
