// The real-time client's reconnect/resume state machine against an in-process gateway stand-in:
// which frames it sends, in which order, on which connection.
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import { RealtimeClient, type ConnectionState, type RealtimeOptions, type RoomEventFrame, type WebSocketConstructor } from "../../src/index.js";
import { ParleyError } from "../../src/errors.js";
import { FakeGateway, until } from "../helpers/fake_gateway.js";
import { fakeFetch, pair } from "../helpers/fake_fetch.js";
import { ParleyClient } from "../../src/client.js";

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function setup(opts: Partial<RealtimeOptions> = {}) {
  const gw = await FakeGateway.start();
  let token = "t1";
  const refreshed: string[] = [];
  const rt = new RealtimeClient({
    url: gw.url,
    WebSocket: WebSocket as WebSocketConstructor, // npm ws fits the SDK's WebSocket interface
    getToken: async () => token,
    refreshToken: async (refused) => {
      refreshed.push(refused);
      token = `t${Number(token.slice(1)) + 1}`;
    },
    backoff: { baseMs: 10, capMs: 40, rateLimitedMinMs: 200, rateLimitedCapMs: 50 },
    stableAfterMs: 0,
    ...opts,
  });
  const events: RoomEventFrame[] = [];
  const states: ConnectionState[] = [];
  rt.on("event", (e) => events.push(e));
  rt.on("state", (s) => states.push(s.state));
  cleanup.push(() => rt.close(), () => gw.close());
  return { gw, rt, events, states, refreshed, setToken: (t: string) => (token = t) };
}

const seqs = (events: RoomEventFrame[], room = "r1") => events.filter((e) => e.room === room).map((e) => e.seq);

test("authenticates with the first frame, subscribes with since, then gets replay and live events", async () => {
  const { gw, rt, events, states } = await setup();
  gw.publish("r1");
  gw.publish("r1");
  gw.publish("r1");
  rt.subscribe("r1", { since: 1 });
  rt.connect();
  await until(() => gw.conns[0]?.frames.length >= 2, 3000, "auth and sub");
  assert.deepEqual(gw.conns[0].frames.slice(0, 2), [
    { op: "auth", token: "t1" },
    { op: "sub", rooms: [{ room: "r1", since: 1 }] },
  ]);
  gw.publish("r1");
  await until(() => events.length === 3, 3000, "3 events");
  assert.deepEqual(seqs(events), [2, 3, 4]);
  assert.deepEqual(states, ["connecting", "open"]);
  assert.equal(rt.session?.user_id, "u1");
});

test("a cut socket reconnects and resumes from the last seq: every seq once, in order", async () => {
  const { gw, rt, events, states } = await setup();
  rt.subscribe("r1");
  rt.connect();
  await until(() => rt.state === "open");
  gw.publish("r1");
  gw.publish("r1");
  await until(() => events.length === 2);
  gw.conns[0].ws.terminate();
  gw.publish("r1"); // while the client is away (the cut socket is no longer open)
  gw.publish("r1");
  await until(() => gw.conns[1]?.frames.length >= 2, 3000, "second connection");
  assert.deepEqual(gw.conns[1].frames.slice(0, 2), [
    { op: "auth", token: "t1" },
    { op: "sub", rooms: [{ room: "r1", since: 2 }] },
  ]);
  gw.publish("r1");
  await until(() => events.length === 5);
  assert.deepEqual(seqs(events), [1, 2, 3, 4, 5]);
  assert.deepEqual(states, ["connecting", "open", "reconnecting", "open"]);
});

test("duplicates are dropped and a gap re-subscribes from the last seq", async () => {
  const { gw, rt, events } = await setup();
  rt.subscribe("r1");
  rt.connect();
  await until(() => rt.state === "open");
  for (let i = 0; i < 5; i++) gw.publish("r1"); // log holds 1..5 and the client got them
  await until(() => events.length === 5);
  gw.conns[0].subs.delete("r1"); // the gateway "forgets" to send 6..7 ...
  gw.publish("r1");
  gw.publish("r1");
  gw.conns[0].subs.add("r1");
  gw.raw(gw.log.get("r1")![4]); // ... repeats 5 ...
  gw.publish("r1"); // ... and sends 8: a gap
  await until(() => events.length === 8, 3000, "replay after the gap");
  assert.deepEqual(seqs(events), [1, 2, 3, 4, 5, 6, 7, 8]);
  const subs = gw.conns[0].frames.filter((f) => f.op === "sub");
  assert.deepEqual(subs, [
    { op: "sub", rooms: [{ room: "r1", since: 0 }] },
    { op: "sub", rooms: [{ room: "r1", since: 5 }] },
  ]);
  assert.equal(gw.conns.length, 1, "a gap needs no reconnect");
});

test("a gap whose re-subscription is ignored is retried with unsub + sub after resyncRetryMs", async () => {
  const { gw, rt, events } = await setup({ resyncRetryMs: 60 });
  gw.ignoreResub = true;
  rt.subscribe("r1");
  rt.connect();
  await until(() => rt.state === "open");
  gw.publish("r1");
  await until(() => events.length === 1);
  gw.conns[0].subs.delete("r1");
  gw.publish("r1"); // 2 is lost
  gw.conns[0].subs.add("r1");
  gw.publish("r1"); // 3: a gap, and nothing follows
  await until(() => events.length === 3, 3000, "replay after unsub + sub");
  assert.deepEqual(seqs(events), [1, 2, 3]);
  const ops = gw.conns[0].frames.filter((f) => f.op === "sub" || f.op === "unsub").map((f) => JSON.stringify(f));
  assert.deepEqual(ops, [
    '{"op":"sub","rooms":[{"room":"r1","since":0}]}',
    '{"op":"sub","rooms":[{"room":"r1","since":1}]}',
    '{"op":"unsub","rooms":["r1"]}',
    '{"op":"sub","rooms":[{"room":"r1","since":1}]}',
  ]);
});

test("a send whose ack was lost is sent again after the reconnect with the same client_id", async () => {
  const { gw, rt, events } = await setup();
  let first = true;
  gw.onCommit = () => (first ? ((first = false), "cut") : "ack");
  rt.subscribe("r1");
  rt.connect();
  await until(() => rt.state === "open");
  const ack = await rt.send("r1", { body: "hello" }, { clientId: "cid-1" });
  assert.deepEqual(ack, { client_id: "cid-1", seq: 1, id: ack.id });
  const sends = gw.conns.flatMap((c) => c.frames.filter((f) => f.op === "send").map((f) => `${c.n}:${f.client_id}`));
  assert.deepEqual(sends, ["0:cid-1", "1:cid-1"]);
  assert.deepEqual(gw.ops(1).slice(0, 3), ["auth", "sub", "send"], "resubscribe first, then the pending sends");
  await until(() => events.length === 1);
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(seqs(events), [1], "the message is seen once");
});

test("sends made while disconnected go out, in order, once connected", async () => {
  const { gw, rt } = await setup();
  const a = rt.send("r1", { body: "a" }, { clientId: "a" });
  const b = rt.send("r1", { body: "b" }, { clientId: "b" });
  rt.connect();
  const acks = await Promise.all([a, b]);
  assert.deepEqual(acks.map((x) => x.seq), [1, 2]);
  assert.deepEqual(gw.ops(0), ["auth", "send", "send"]);
});

test("an error frame naming a send rejects it; a timeout rejects; close() rejects the rest", async () => {
  const { gw, rt } = await setup();
  rt.connect();
  await until(() => rt.state === "open");
  const errors: string[] = [];
  rt.on("error", (e) => errors.push(e.code));
  gw.stallSends = true;
  const bad = rt.send("r1", { body: "" }, { clientId: "bad" });
  gw.raw({ t: "error", code: "validation_failed", detail: "body is empty", ref: "bad" });
  await assert.rejects(bad, (e: ParleyError) => e.code === "validation_failed" && e.detail === "body is empty");
  await assert.rejects(rt.send("r1", { body: "x" }, { timeoutMs: 30 }), (e: ParleyError) => e.code === "timeout");
  const pending = assert.rejects(rt.send("r1", { body: "y" }), (e: ParleyError) => e.code === "closed");
  rt.close();
  await pending;
  await assert.rejects(rt.send("r1", { body: "after" }), (e: ParleyError) => e.code === "closed");
  assert.deepEqual(errors, ["validation_failed"]);
  assert.equal(rt.state, "closed");
});

test("close 4401 refreshes the refused token, then reconnects with the new one", async () => {
  const { gw, rt, refreshed } = await setup();
  rt.connect();
  await until(() => rt.state === "open");
  gw.conns[0].ws.close(4401, "token expired");
  await until(() => gw.conns[1]?.frames.length >= 1, 3000, "reconnected");
  assert.deepEqual(refreshed, ["t1"]);
  assert.deepEqual(gw.conns[1].frames[0], { op: "auth", token: "t2" });
});

test("a fresh token is sent on the open socket (no reconnect), once, and not while disconnected", async () => {
  const { gw, rt } = await setup();
  rt.useToken("t5"); // not connected yet: nothing to send
  rt.connect();
  await until(() => rt.state === "open");
  rt.useToken("t5");
  rt.useToken("t5");
  await until(() => gw.conns[0].frames.some((f) => f.op === "auth" && f.token === "t5"), 3000, "fresh token sent");
  rt.subscribe("r1");
  await until(() => gw.conns[0].frames.some((f) => f.op === "sub"), 3000, "sub after it");
  assert.deepEqual(gw.conns[0].frames.filter((f) => f.op === "auth"), [
    { op: "auth", token: "t1" },
    { op: "auth", token: "t5" },
  ]);
  assert.equal(gw.conns.length, 1);
  assert.equal(rt.state, "open");
});

test("ParleyClient: each refresh hands the fresh token to the open socket", async () => {
  const gw = await FakeGateway.start();
  let n = 1;
  const f = fakeFetch((req) => {
    if (req.url.endsWith("/v1/auth/login")) return { status: 200, body: { ...pair(1), user: { id: "u1" } } };
    if (req.url.endsWith("/v1/auth/refresh")) return { status: 200, body: pair(++n) };
    return { status: 404, body: { code: "not_found" } };
  });
  const c = new ParleyClient({
    baseUrl: "http://parley.test/",
    wsUrl: gw.url,
    fetch: f.fetch,
    WebSocket: WebSocket as WebSocketConstructor,
    tokens: { autoRefresh: false },
  });
  cleanup.push(() => c.dispose(), () => gw.close());
  await c.auth.login({ login: "ann", password: "pw" });
  const rt = c.realtime();
  rt.connect();
  await until(() => rt.state === "open");
  await c.auth.refresh();
  await until(() => gw.conns[0].frames.length >= 2, 3000, "fresh token on the socket");
  assert.deepEqual(gw.conns[0].frames, [
    { op: "auth", token: "access-1" },
    { op: "auth", token: "access-2" },
  ]);
  assert.equal(gw.conns.length, 1);
});

test("close 4401 while signed out stops with an error", async () => {
  const gw = await FakeGateway.start();
  const rt = new RealtimeClient({
    url: gw.url,
    WebSocket: WebSocket as WebSocketConstructor,
    getToken: async () => "old",
    refreshToken: async () => {
      throw new ParleyError({ status: 401, code: "refresh_reused" });
    },
  });
  cleanup.push(() => rt.close(), () => gw.close());
  gw.badTokens.add("old");
  const errors: string[] = [];
  rt.on("error", (e) => errors.push(e.code));
  const pending = assert.rejects(rt.send("r1", { body: "x" }), (e: ParleyError) => e.code === "unauthenticated");
  rt.connect();
  await until(() => rt.state === "closed", 3000, "closed");
  assert.deepEqual(errors, ["unauthenticated"]);
  await pending;
  assert.equal(gw.conns.length, 1);
});

test("close 4403 naming a room stops that room only; without a room it stops", async () => {
  const { gw, rt, events } = await setup();
  const closedRooms: string[] = [];
  rt.on("roomClosed", (r) => closedRooms.push(r.room));
  rt.subscribe("r1");
  rt.subscribe("secret");
  rt.connect();
  await until(() => rt.state === "open");
  gw.conns[0].ws.close(4403, "secret");
  await until(() => gw.conns[1]?.frames.length >= 2, 3000, "reconnected");
  assert.deepEqual(closedRooms, ["secret"]);
  assert.deepEqual(gw.conns[1].frames[1], { op: "sub", rooms: [{ room: "r1", since: 0 }] });
  gw.publish("r1");
  await until(() => events.length === 1);
  gw.conns[1].ws.close(4403, "");
  await until(() => rt.state === "closed", 3000, "closed");
  await new Promise((r) => setTimeout(r, 80));
  assert.equal(gw.conns.length, 2, "no reconnect after a connection-wide 4403");
});

test("an error frame forbidden for a room stops that room", async () => {
  const { gw, rt } = await setup();
  const closedRooms: string[] = [];
  rt.on("roomClosed", (r) => closedRooms.push(`${r.room}:${r.code}`));
  rt.subscribe("r1");
  rt.connect();
  await until(() => rt.state === "open");
  gw.raw({ t: "error", code: "not_found", detail: "no such room", room: "r1" });
  await until(() => closedRooms.length === 1);
  assert.deepEqual(closedRooms, ["r1:not_found"]);
  assert.deepEqual(rt.subscriptions(), []);
});

test("an unsubscribed frame (left or removed) stops following that room only", async () => {
  const { gw, rt } = await setup();
  const closedRooms: string[] = [];
  rt.on("roomClosed", (r) => closedRooms.push(`${r.room}:${r.code}`));
  rt.subscribe("r1");
  rt.subscribe("r2");
  rt.connect();
  await until(() => rt.state === "open");
  gw.raw({ t: "unsubscribed", room: "r1", reason: "removed" });
  await until(() => closedRooms.length === 1);
  assert.deepEqual(closedRooms, ["r1:removed"]);
  assert.deepEqual(rt.subscriptions().map((s) => s.room), ["r2"]);
});

test("close 4029 waits at least the rate-limited minimum; 4008 and 1001 reconnect at once-ish", async () => {
  const { gw, rt } = await setup();
  const retries: Array<{ code: number; delayMs: number }> = [];
  rt.on("retry", (r) => retries.push({ code: r.code, delayMs: r.delayMs }));
  rt.connect();
  await until(() => rt.state === "open");
  gw.conns[0].ws.close(4008, "too slow");
  await until(() => gw.conns.length === 2 && rt.state === "open");
  gw.conns[1].ws.close(1001, "draining");
  await until(() => gw.conns.length === 3 && rt.state === "open");
  const t0 = Date.now();
  gw.conns[2].ws.close(4029, "slow down");
  await until(() => gw.conns.length === 4 && rt.state === "open", 3000);
  assert.ok(Date.now() - t0 >= 190, `reconnected after ${Date.now() - t0} ms`);
  assert.deepEqual(retries.map((r) => r.code), [4008, 1001, 4029]);
  assert.ok(retries[0].delayMs < 40 && retries[1].delayMs < 40);
  assert.ok(retries[2].delayMs >= 200 && retries[2].delayMs < 250);
});

test("silence after a ping is a dead socket: the client reconnects", async () => {
  const { gw, rt } = await setup({ pingIntervalMs: 30, pongTimeoutMs: 400 });
  rt.connect();
  await until(() => rt.state === "open");
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(gw.ops(0).includes("ping"));
  assert.equal(gw.conns.length, 1, "answered pings keep the socket");
  gw.ignorePings = true;
  await until(() => gw.conns.length === 2, 3000, "reconnect after silence");
});

test("typing is throttled per room; read markers wait for a connection (latest only)", async () => {
  const { gw, rt } = await setup({ typingIntervalMs: 100 });
  rt.read("r1", 3);
  rt.read("r1", 5);
  rt.read("r1", 4);
  rt.delivered("r1", 6);
  assert.equal(rt.typing("r1"), false, "not connected");
  rt.connect();
  await until(() => rt.state === "open");
  assert.equal(rt.typing("r1"), true);
  assert.equal(rt.typing("r1"), false);
  assert.equal(rt.typing("r2"), true);
  await new Promise((r) => setTimeout(r, 110));
  assert.equal(rt.typing("r1"), true);
  await until(() => gw.ops(0).filter((o) => o === "typing").length === 3);
  assert.deepEqual(gw.conns[0].frames.slice(1, 3), [
    { op: "read", room: "r1", seq: 5 },
    { op: "delivered", room: "r1", seq: 6 },
  ]);
});

test("close() ends for good: state closed, no reconnect", async () => {
  const { gw, rt, states } = await setup();
  rt.connect();
  await until(() => rt.state === "open");
  rt.close();
  await new Promise((r) => setTimeout(r, 80));
  assert.equal(gw.conns.length, 1);
  assert.deepEqual(states, ["connecting", "open", "closed"]);
});
