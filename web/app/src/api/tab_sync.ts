// Several tabs share one session (tokens in localStorage), but refresh tokens are single use: a
// tab that refreshes with a token another tab has already used revokes the whole session
// (`refresh_reused`). The SDK leaves tab coordination to the app; this does it:
//  - refreshes go through a Web Lock, one tab at a time, and inside it the rotations other tabs
//    recorded (rotations.ts, IndexedDB) are checked first: the refresh token was exchanged
//    already → that result is used instead of a second refresh (the server is not asked again);
//  - a refresh's outcome is recorded (and stored) before the lock is let go;
//  - signing out in one tab signs out the others.

import type { FetchLike, StoredTokens } from "@parley/sdk";
import { newestFrom, recordRotation } from "./rotations";

export const TOKENS_KEY = "parley.tokens";
const LOCK = "parley.refresh";

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
      let from = asked;
      const newer = await newestFrom(asked).catch(() => null);
      if (newer) {
        // Another tab refreshed: use its tokens while they are good, else refresh from them.
        if (newer.expiresAt - Date.now() > 30_000) return tokenResponse(newer);
        from = newer.refreshToken;
      }
      const res = await base(input, { ...init, body: JSON.stringify({ refresh_token: from }) });
      if (res.ok) {
        const pair = (await res.clone().json()) as { access_token: string; refresh_token: string; expires_in: number };
        const next: StoredTokens = { accessToken: pair.access_token, refreshToken: pair.refresh_token, expiresAt: Date.now() + pair.expires_in * 1000 };
        await recordRotation(from, next).catch(() => undefined);
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
