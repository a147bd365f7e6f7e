import { test } from "node:test";
import assert from "node:assert/strict";
import { LocalStorageTokenStore, type StorageLike } from "../../src/token_store.js";

class MapStorage implements StorageLike {
  readonly m = new Map<string, string>();
  getItem(k: string) {
    return this.m.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.m.set(k, v);
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
}

test("localStorage adapter keeps, reads back and clears the tokens under its key", () => {
  const s = new MapStorage();
  const store = new LocalStorageTokenStore("app.tokens", s);
  assert.equal(store.get(), null);
  const t = { accessToken: "a", refreshToken: "r", expiresAt: 123 };
  store.set(t);
  assert.deepEqual(JSON.parse(s.m.get("app.tokens")!), t);
  assert.deepEqual(new LocalStorageTokenStore("app.tokens", s).get(), t);
  store.set(null);
  assert.equal(s.m.has("app.tokens"), false);
});

test("a corrupt entry reads as signed out and is removed", () => {
  const s = new MapStorage();
  s.setItem("parley.tokens", "{not json");
  assert.equal(new LocalStorageTokenStore(undefined, s).get(), null);
  assert.equal(s.m.size, 0);
  s.setItem("parley.tokens", '{"accessToken":1}');
  assert.equal(new LocalStorageTokenStore(undefined, s).get(), null);
});

test("without localStorage (Node) the adapter says so", () => {
  assert.throws(() => new LocalStorageTokenStore(), /no localStorage/);
});
