// The REST client's account calls against a real server.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ParleyError } from "../../src/index.js";
import { newClient, newUser, skip } from "./support.js";

test("sign-up, me, refresh, sessions, login elsewhere, revoke, logout", { skip }, async () => {
  const { client, username, password } = await newUser("acc");
  const me = await client.me.get();
  assert.equal(me.username, username);
  const updated = await client.me.update({ display_name: "Ann Example", bio: "hello" });
  assert.equal(updated.display_name, "Ann Example");

  const before = client.tokens.tokens!.refreshToken;
  await client.auth.refresh();
  assert.notEqual(client.tokens.tokens!.refreshToken, before, "refresh tokens rotate");
  assert.equal((await client.me.get()).username, username);

  const other = newClient();
  await other.auth.login({ login: username, password });
  const sessions = await client.auth.sessions();
  assert.equal(sessions.items.length, 2);
  const elsewhere = sessions.items.find((s) => !s.current)!;
  await client.auth.revokeSession(elsewhere.id);
  await assert.rejects(other.me.get(), (e: ParleyError) => e.status === 401);
  assert.equal(other.signedIn, false, "a refused refresh signs the other client out");

  const exported = await client.me.export();
  assert.equal(exported.format, "parley-export/1");

  await client.auth.logout();
  assert.equal(client.signedIn, false);
  await assert.rejects(client.me.get(), (e: ParleyError) => e.status === 401);
});

test("problems surface as ParleyError with code and fields", { skip }, async () => {
  const c = newClient();
  await assert.rejects(
    c.auth.signup({ email: "not-an-email", password: "x", username: "!" }),
    (e: ParleyError) => e.status === 422 && e.code === "validation_failed" && "email" in e.fields,
  );
  await assert.rejects(
    c.auth.login({ login: "nobody-here", password: "wrong-password" }),
    (e: ParleyError) => e.status === 401 && e.code === "invalid_credentials",
  );
});

test("other users' public profiles by id, username and ids", { skip }, async () => {
  const ann = await newUser("ua");
  const bob = await newUser("ub");
  const annMe = await ann.client.me.update({ display_name: "Ann Public" });
  const seen = await bob.client.users.get(annMe.id);
  assert.equal(seen.display_name, "Ann Public");
  assert.equal(seen.email, undefined, "no email in a public profile");
  const found = await bob.client.users.byUsername(ann.username.toUpperCase());
  assert.equal(found?.id, annMe.id);
  assert.equal(await bob.client.users.byUsername("nobody_" + Date.now()), null);
  const bobMe = await bob.client.me.get();
  const both = await bob.client.users.list([annMe.id, bobMe.id]);
  assert.deepEqual(new Set(both.map((u) => u.id)), new Set([annMe.id, bobMe.id]));
  await assert.rejects(bob.client.users.get("1"), (e: ParleyError) => e.status === 404 && e.code === "not_found");
});
