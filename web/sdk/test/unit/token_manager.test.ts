import { test } from "node:test";
import assert from "node:assert/strict";
import { ParleyError } from "../../src/errors.js";
import { refreshDelayMs, TokenManager } from "../../src/token_manager.js";
import { MemoryTokenStore } from "../../src/token_store.js";
import type { TokenPair } from "../../src/types.js";
import { FakeClock, flush } from "../helpers/fake_clock.js";
import { pair } from "../helpers/fake_fetch.js";

test("refreshDelayMs: the margin before expiry, at most half the remaining lifetime", () => {
  const now = 1_000_000;
  assert.equal(refreshDelayMs(now + 900_000, now, 60_000), 840_000);
  assert.equal(refreshDelayMs(now + 100_000, now, 60_000), 50_000);
  assert.equal(refreshDelayMs(now + 1_000, now, 60_000), 500);
  assert.equal(refreshDelayMs(now, now, 60_000), 0);
  assert.equal(refreshDelayMs(now - 5, now, 60_000), 0);
});

function manager(refresh: (rt: string) => Promise<TokenPair>, opts = {}) {
  const clock = new FakeClock();
  const store = new MemoryTokenStore();
  const tm = new TokenManager(store, refresh, { clock, ...opts });
  return { clock, store, tm };
}

test("a timer refreshes 60 s before expiry, and again after each refresh", async () => {
  const calls: string[] = [];
  let n = 1;
  const { clock, store, tm } = manager(async (rt) => {
    calls.push(rt);
    return pair(++n);
  });
  await tm.signIn(pair(1));
  assert.deepEqual(clock.pending(), [clock.now() + 840_000]);
  clock.advance(839_999);
  await flush();
  assert.deepEqual(calls, []);
  clock.advance(1);
  await flush();
  assert.deepEqual(calls, ["refresh-1"]);
  assert.equal(store.get()?.accessToken, "access-2");
  assert.deepEqual(clock.pending(), [clock.now() + 840_000]);
  clock.advance(840_000);
  await flush();
  assert.deepEqual(calls, ["refresh-1", "refresh-2"]);
  tm.dispose();
  assert.deepEqual(clock.pending(), []);
});

test("autoRefresh off: no timer, but a nearly expired token is refreshed on use", async () => {
  let n = 1;
  const { clock, tm } = manager(async () => pair(++n), { autoRefresh: false });
  await tm.signIn(pair(1));
  assert.deepEqual(clock.pending(), []);
  assert.equal(await tm.accessToken(), "access-1");
  clock.advance(896_000); // 4 s left < minValidity 5 s
  assert.equal(await tm.accessToken(), "access-2");
});

test("concurrent refreshes share one request (refresh tokens are single use)", async () => {
  let calls = 0;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const { tm } = manager(async () => {
    calls++;
    await gate;
    return pair(2);
  });
  await tm.signIn(pair(1));
  const all = Promise.all([tm.refresh("access-1"), tm.refresh("access-1"), tm.refresh()]);
  release();
  const got = await all;
  assert.equal(calls, 1);
  assert.deepEqual(got.map((t) => t.accessToken), ["access-2", "access-2", "access-2"]);
  // A request refused with the old token after the refresh reuses the new one.
  assert.equal((await tm.refresh("access-1")).accessToken, "access-2");
  assert.equal(calls, 1);
});

test("a refused refresh signs out and tells the listeners", async () => {
  const { store, tm } = manager(async () => {
    throw new ParleyError({ status: 401, code: "refresh_reused" });
  });
  const changes: string[] = [];
  tm.onChange((_t, c) => changes.push(c));
  await tm.signIn(pair(1));
  await assert.rejects(tm.refresh(), (e: ParleyError) => e.code === "refresh_reused");
  assert.equal(store.get(), null);
  assert.equal(await tm.accessToken(), null);
  assert.deepEqual(changes, ["signin", "signout"]);
});

test("a timer refresh that fails on the network keeps the tokens and tries again later", async () => {
  let fail = true;
  const { clock, tm } = manager(async () => {
    if (fail) throw ParleyError.local("network_error", "offline");
    return pair(2);
  }, { retryMs: 10_000 });
  await tm.signIn(pair(1));
  clock.advance(840_000);
  await flush();
  assert.equal(tm.tokens?.accessToken, "access-1");
  assert.deepEqual(clock.pending(), [clock.now() + 10_000]);
  fail = false;
  clock.advance(10_000);
  await flush();
  assert.equal(tm.tokens?.accessToken, "access-2");
});

test("tokens kept by an earlier page load are read once and scheduled", async () => {
  const clock = new FakeClock();
  const store = new MemoryTokenStore();
  store.set({ accessToken: "a", refreshToken: "r", expiresAt: clock.now() + 120_000 });
  const tm = new TokenManager(store, async () => pair(9), { clock });
  assert.equal(await tm.accessToken(), "a");
  assert.deepEqual(clock.pending(), [clock.now() + 60_000]);
});
