import { test } from "node:test";
import assert from "node:assert/strict";
import { ParleyClient } from "../../src/client.js";
import { fakeFetch, pair } from "../helpers/fake_fetch.js";

const user = { id: "1", username: "ann", display_name: "Ann", created_at: "2025-01-01T00:00:00.000Z", role: "user" };

test("rooms.members pages GET /v1/rooms/{id}/members; allMembers follows next to the end", async () => {
  const f = fakeFetch((req) => {
    if (req.url.endsWith("/v1/auth/login")) return { status: 200, body: { ...pair(1), user } };
    const url = new URL(req.url);
    const cursor = url.searchParams.get("cursor");
    const member = (id: string) => ({ user_id: id, role: "member", read_seq: 0, delivered_seq: 0, joined_at: "2025-01-01T00:00:00.000Z" });
    if (cursor === null) return { status: 200, body: { items: [member("1"), member("2")], next: "c2" } };
    return { status: 200, body: { items: [member("3")], next: null } };
  });
  const c = new ParleyClient({ baseUrl: "http://parley.test/", fetch: f.fetch, tokens: { autoRefresh: false } });
  await c.auth.login({ login: "ann", password: "pw" });
  const first = await c.rooms.members("9", { limit: 2 });
  assert.deepEqual(first.items.map((m) => m.user_id), ["1", "2"]);
  assert.equal(first.next, "c2");
  assert.equal(f.seen[1].url, "http://parley.test/v1/rooms/9/members?limit=2");
  const all: string[] = [];
  for await (const m of c.rooms.allMembers("9", 2)) all.push(m.user_id);
  assert.deepEqual(all, ["1", "2", "3"]);
  assert.equal(f.seen[3].url, "http://parley.test/v1/rooms/9/members?limit=2&cursor=c2");
});
