import { test } from "node:test";
import assert from "node:assert/strict";
import { ParleyClient } from "../../src/client.js";
import { ParleyError } from "../../src/errors.js";
import { fakeFetch, pair, problem } from "../helpers/fake_fetch.js";

const user = { id: "1", username: "ann", display_name: "Ann", created_at: "2025-01-01T00:00:00.000Z", role: "user" };

function client(handler: Parameters<typeof fakeFetch>[0]) {
  const f = fakeFetch(handler);
  const c = new ParleyClient({ baseUrl: "http://parley.test/", fetch: f.fetch, tokens: { autoRefresh: false } });
  return { c, seen: f.seen };
}

test("login stores the tokens; later requests carry the bearer token", async () => {
  const { c, seen } = client((req) => {
    if (req.url.endsWith("/v1/auth/login")) return { status: 200, body: { ...pair(1), user } };
    return { status: 200, body: user };
  });
  await c.auth.login({ login: "ann", password: "pw" });
  assert.equal(c.signedIn, true);
  const me = await c.me.get();
  assert.equal(me.username, "ann");
  assert.equal(seen[0].headers.Authorization, undefined);
  assert.deepEqual(seen[0].body, { login: "ann", password: "pw" });
  assert.equal(seen[1].url, "http://parley.test/v1/me");
  assert.equal(seen[1].headers.Authorization, "Bearer access-1");
});

test("a 401 refreshes once and repeats the request with the new token", async () => {
  const { c, seen } = client((req) => {
    if (req.url.endsWith("/login")) return { status: 200, body: { ...pair(1), user } };
    if (req.url.endsWith("/refresh")) return { status: 200, body: pair(2) };
    return req.headers.Authorization === "Bearer access-2" ? { status: 200, body: user } : problem(401, "invalid_token");
  });
  await c.auth.login({ login: "ann", password: "pw" });
  await c.me.get();
  assert.deepEqual(seen.map((s) => s.url.replace("http://parley.test", "")), ["/v1/auth/login", "/v1/me", "/v1/auth/refresh", "/v1/me"]);
  assert.deepEqual(seen[2].body, { refresh_token: "refresh-1" });
});

test("a second 401 after the refresh is reported, not retried again", async () => {
  const { c, seen } = client((req) => {
    if (req.url.endsWith("/login")) return { status: 200, body: { ...pair(1), user } };
    if (req.url.endsWith("/refresh")) return { status: 200, body: pair(2) };
    return problem(401, "session_revoked");
  });
  await c.auth.login({ login: "ann", password: "pw" });
  await assert.rejects(c.me.get(), (e: ParleyError) => e.status === 401 && e.code === "session_revoked");
  assert.equal(seen.length, 4);
});

test("a refused refresh signs out and reports the original 401", async () => {
  const { c } = client((req) => {
    if (req.url.endsWith("/login")) return { status: 200, body: { ...pair(1), user } };
    if (req.url.endsWith("/refresh")) return problem(401, "refresh_reused");
    return problem(401, "invalid_token");
  });
  await c.auth.login({ login: "ann", password: "pw" });
  await assert.rejects(c.me.get(), (e: ParleyError) => e.code === "invalid_token");
  assert.equal(c.signedIn, false);
});

test("problems and network failures become ParleyError", async () => {
  const { c } = client((req) => {
    if (req.url.endsWith("/signup")) return { ...problem(422, "validation_failed", { fields: { email: "not an email address" } }) };
    if (req.url.endsWith("/password-reset/request")) return new TypeError("fetch failed");
    return { ...problem(429, "rate_limited"), headers: { "Retry-After": "30" } };
  });
  await assert.rejects(c.auth.signup({ email: "x", password: "pw", username: "ann" }), (e: ParleyError) => e.status === 422 && e.fields.email === "not an email address");
  await assert.rejects(c.auth.requestPasswordReset("a@b.c"), (e: ParleyError) => e.status === 0 && e.code === "network_error");
  await assert.rejects(c.auth.login({ login: "a", password: "b" }), (e: ParleyError) => e.code === "rate_limited" && e.retryAfter === 30);
});

test("rooms and messages build the documented paths, queries and bodies", async () => {
  const { c, seen } = client((req) => (req.method === "DELETE" ? { status: 204 } : { status: 200, body: { items: [], next: null } }));
  await c.rooms.list({ limit: 20, cursor: "abc/=" });
  await c.messages.list("7", { after: 41, limit: 10 });
  await c.messages.list("7");
  await c.messages.send("7", { body: "hi", client_id: "c-1" });
  await c.messages.send("7", { body: "hi" });
  await c.rooms.setRole("7", "9", "admin");
  await c.rooms.removeMember("7", "9");
  await c.rooms.createDirect("9");
  await c.rooms.markDelivered("7", 12);
  await c.messages.view("55");
  const lines = seen.map((s) => `${s.method} ${s.url.replace("http://parley.test", "")}`);
  assert.deepEqual(lines, [
    "GET /v1/rooms?limit=20&cursor=abc%2F%3D",
    "GET /v1/rooms/7/messages?after=41&limit=10",
    "GET /v1/rooms/7/messages",
    "POST /v1/rooms/7/messages",
    "POST /v1/rooms/7/messages",
    "PATCH /v1/rooms/7/members/9",
    "DELETE /v1/rooms/7/members/9",
    "POST /v1/rooms",
    "POST /v1/rooms/7/delivered",
    "POST /v1/messages/55/view",
  ]);
  assert.deepEqual(seen[3].body, { body: "hi", client_id: "c-1" });
  assert.match((seen[4].body as { client_id: string }).client_id, /^[A-Za-z0-9._:-]{1,64}$/);
  assert.deepEqual(seen[5].body, { role: "admin" });
  assert.deepEqual(seen[7].body, { kind: "direct", member: "9" });
  assert.deepEqual(seen[8].body, { seq: 12 });
  assert.throws(() => c.messages.list("7", { before: 1, after: 2 }), TypeError);
});

test("a send that fails on the network is retried with the same client_id", async () => {
  let n = 0;
  const { c, seen } = client(() => (++n < 3 ? new TypeError("fetch failed") : { status: 201, body: { id: "1", seq: 1 } }));
  await c.messages.send("7", { body: "hi" });
  assert.equal(seen.length, 3);
  const ids = new Set(seen.map((s) => (s.body as { client_id: string }).client_id));
  assert.equal(ids.size, 1);
});

test("logout forgets the tokens even when the server call fails", async () => {
  const { c } = client((req) => {
    if (req.url.endsWith("/login")) return { status: 200, body: { ...pair(1), user } };
    return new TypeError("offline");
  });
  await c.auth.login({ login: "ann", password: "pw" });
  await assert.rejects(c.auth.logout());
  assert.equal(c.signedIn, false);
});

test("allSessions follows next until null, passing it back as cursor", async () => {
  const session = (id: string) => ({ id, created_at: "", last_used_at: "", user_agent: "", ip: "", current: id === "1" });
  const { c, seen } = client((req) => {
    if (req.url.endsWith("/v1/auth/login")) return { status: 200, body: { ...pair(1), user } };
    const cursor = new URL(req.url).searchParams.get("cursor");
    if (cursor === null) return { status: 200, body: { items: [session("3"), session("2")], next: "c1" } };
    if (cursor === "c1") return { status: 200, body: { items: [session("1")], next: null } };
    return problem(422, "validation_failed");
  });
  await c.auth.login({ login: "ann", password: "pw" });
  const ids: string[] = [];
  for await (const s of c.auth.allSessions(2)) ids.push(s.id);
  assert.deepEqual(ids, ["3", "2", "1"]);
  assert.deepEqual(seen.slice(1).map((s) => s.url.replace("http://parley.test", "")), [
    "/v1/auth/sessions?limit=2",
    "/v1/auth/sessions?limit=2&cursor=c1",
  ]);
});
