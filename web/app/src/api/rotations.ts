// Which refresh token was exchanged for which tokens, shared by the tabs of this origin in
// IndexedDB. Unlike localStorage, whose writes reach other tabs' processes asynchronously,
// IndexedDB transactions are ordered by the browser, so a tab that takes the refresh lock after
// another sees what the other stored before letting go of it.

import type { StoredTokens } from "@parley/sdk";

const DB = "parley";
const STORE = "rotations";
const KEEP = 20;

interface Rotation {
  from: string;
  to: StoredTokens;
  at: number;
}

let db: Promise<IDBDatabase | null> | null = null;

function open(): Promise<IDBDatabase | null> {
  db ??= new Promise((resolve) => {
    try {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "from" });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => resolve(null);
    } catch {
      resolve(null); // no IndexedDB (some private modes): no sharing, each tab on its own
    }
  });
  return db;
}

function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** The newest tokens that `refreshToken` led to through other tabs' refreshes (null: none). */
export async function newestFrom(refreshToken: string): Promise<StoredTokens | null> {
  const d = await open();
  if (!d) return null;
  const all = await done(d.transaction(STORE).objectStore(STORE).getAll() as IDBRequest<Rotation[]>);
  const next = new Map(all.map((r) => [r.from, r.to]));
  let found: StoredTokens | null = null;
  for (let token = refreshToken, n = 0; next.has(token) && n < KEEP; n++) {
    found = next.get(token)!;
    token = found.refreshToken;
  }
  return found;
}

/** Records that `from` was exchanged for `to` (keeping the newest few). */
export async function recordRotation(from: string, to: StoredTokens): Promise<void> {
  const d = await open();
  if (!d) return;
  const tx = d.transaction(STORE, "readwrite");
  const store = tx.objectStore(STORE);
  store.put({ from, to, at: Date.now() } satisfies Rotation);
  const all = await done(store.getAll() as IDBRequest<Rotation[]>);
  all.sort((a, b) => b.at - a.at);
  for (const old of all.slice(KEEP)) store.delete(old.from);
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

/** Forgets every rotation (sign-out: none of those tokens works any more). */
export async function clearRotations(): Promise<void> {
  const d = await open();
  if (!d) return;
  d.transaction(STORE, "readwrite").objectStore(STORE).clear();
}
