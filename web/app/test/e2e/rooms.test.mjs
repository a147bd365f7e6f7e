// Groups and accounts across people: joining a group by its code, the room list ordered by
// activity, making a member admin and removing them (their list follows at once), profile and privacy settings (last seen, who can add me to groups) saved, and signing out another session.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { api, mailTo, myUserId, newPage, shot, signInUi, signUpUi, start, tokenOf, uniqueUser, verifyByApi } from "./harness.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

test("join a group by its code; the list follows activity", async () => {
  const A = await newPage(env);
  const B = await newPage(env);
  const ann = uniqueUser("ann");
  const bo = uniqueUser("bo");
  await signUpUi(env, A.page, ann);
  await signUpUi(env, B.page, bo);
  await verifyByApi(env, ann.email);
  await verifyByApi(env, bo.email);
  const boId = await myUserId(env, B.page);

  // Ann creates a group through the dialog, then a direct room with Bo.
  await A.page.getByTestId("new-chat").click();
  await A.page.getByRole("radio", { name: "Group" }).check({ force: true });
  await A.page.getByLabel("Group name").fill("Book club");
  await shot(A.page, "new-chat-dialog");
  await A.page.getByRole("button", { name: "Create group" }).click();
  await A.page.getByTestId("conv-title").filter({ hasText: "Book club" }).waitFor();
  await A.page.getByTestId("room-info-toggle").click();
  const code = (await A.page.getByTestId("join-code").textContent()).trim();
  await A.page.getByTestId("new-chat").click();
  await A.page.getByLabel("Username or user id", { exact: true }).fill(boId);
  await A.page.getByRole("button", { name: "Start chat" }).click();
  await A.page.getByTestId("conversation").waitFor();
  await A.page.getByTestId("composer").fill("direct hello");
  await A.page.getByTestId("composer").press("Enter");
  await A.page.getByTestId("message-body").filter({ hasText: "direct hello" }).waitFor();
  const titles = async (page) => (await page.locator(".room-item__title").allTextContents());
  assert.equal((await titles(A.page))[1], "Book club", "the direct room with the newest message is first");

  // Bo joins by the code and writes; the group moves to the top of Ann's list, live.
  await B.page.reload();
  await B.page.getByTestId("new-chat").click();
  await B.page.getByRole("radio", { name: "Join" }).check({ force: true });
  await B.page.getByLabel("Join code").fill(code);
  await B.page.getByRole("button", { name: "Join group" }).click();
  await B.page.getByTestId("conv-title").filter({ hasText: "Book club" }).waitFor();
  // A wrong code is a clear error.
  await B.page.getByTestId("new-chat").click();
  await B.page.getByRole("radio", { name: "Join" }).check({ force: true });
  await B.page.getByLabel("Join code").fill("000000000000");
  await B.page.getByRole("button", { name: "Join group" }).click();
  await B.page.getByRole("dialog").getByRole("alert").filter({ hasText: "Not found" }).waitFor();
  await B.page.getByRole("button", { name: "Cancel" }).last().click();
  // So is an unknown username.
  await B.page.getByTestId("new-chat").click();
  await B.page.getByLabel("Username or user id", { exact: true }).fill("nobody_by_that_name");
  await B.page.getByRole("button", { name: "Start chat" }).click();
  await B.page.getByRole("dialog").getByText("No one is called nobody_by_that_name here.").first().waitFor();
  await B.page.getByRole("button", { name: "Cancel" }).last().click();
  await B.page.getByTestId("composer").fill("Hello book club");
  await B.page.getByTestId("composer").press("Enter");
  await A.page.getByText(/Hello book club/).first().waitFor({ timeout: 15_000 });
  await A.page.waitForFunction(() => document.querySelector(".room-item__title")?.textContent === "Book club");

  // Ann, the owner, makes Bo an admin, then removes him: his list loses the group at once.
  await A.page.locator(".room-item__title", { hasText: "Book club" }).click();
  await A.page.getByTestId("conv-title").filter({ hasText: "Book club" }).waitFor();
  await A.page.getByTestId("room-info-toggle").click();
  await A.page.getByRole("button", { name: "Make admin: Bo" }).click();
  await A.page.getByRole("button", { name: "Make member: Bo" }).waitFor();
  await A.page.getByTestId("room-info").getByText(/admin/).first().waitFor();
  A.page.once("dialog", (d) => void d.accept());
  await A.page.getByRole("button", { name: "Remove: Bo" }).click();
  await A.page.getByRole("button", { name: "Remove: Bo" }).waitFor({ state: "detached" });
  await B.page.waitForFunction(() => ![...document.querySelectorAll(".room-item__title")].some((e) => e.textContent === "Book club"), null, { timeout: 15_000 });
  assert.deepEqual([...A.problems, ...B.problems], []);
  await A.context.close();
  await B.context.close();
});

test("profile and privacy settings are saved", async () => {
  const U = await newPage(env);
  const user = uniqueUser("pat");
  await signUpUi(env, U.page, user);
  await U.page.getByTestId("settings-link").click();
  await U.page.getByLabel("Display name").fill("Pat Q.");
  await U.page.getByLabel("Bio").fill("Climbs on weekends.");
  await U.page.getByRole("button", { name: "Save", exact: true }).click();
  await U.page.getByRole("region", { name: "Profile" }).getByRole("status").filter({ hasText: "Saved." }).waitFor();
  const privacy = U.page.getByRole("region", { name: "Privacy" });
  await privacy.getByLabel("Nobody").check();
  await privacy.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  const groups = U.page.getByRole("region", { name: "Groups" });
  await groups.getByLabel("No one").check();
  await groups.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  await shot(U.page, "settings");
  const me = await api(env, await tokenOf(U.page), "GET", "/v1/me");
  assert.equal(me.group_add_privacy, "nobody");
  assert.equal(me.display_name, "Pat Q.");
  assert.equal(me.bio, "Climbs on weekends.");
  assert.equal(me.last_seen_privacy, "nobody");
  // A username that breaks the rules: the server's words under the field.
  await U.page.getByLabel("Username").fill("x");
  await U.page.getByRole("button", { name: "Save", exact: true }).click();
  await U.page.locator(".field--error").filter({ hasText: "Username" }).waitFor();

  // Email change: the link goes to the new address and opens /confirm-email in the app.
  const newEmail = `new.${user.email}`;
  await U.page.locator("summary", { hasText: "Change email" }).click();
  await U.page.getByLabel("New email").fill(newEmail);
  await U.page.getByLabel("Current password").first().fill(user.password);
  await U.page.getByRole("button", { name: "Send confirmation link" }).click();
  await U.page.getByText(`We sent a confirmation link to ${newEmail}`).waitFor();
  const mail = await mailTo(env, newEmail);
  const link = mail.links.find((l) => l.includes("/confirm-email?token="));
  assert.ok(link, "the mail links to /confirm-email");
  await U.page.goto(link);
  await U.page.getByTestId("mail-link-done").filter({ hasText: newEmail }).waitFor();
  assert.equal((await api(env, await tokenOf(U.page), "GET", "/v1/me")).email, newEmail);
  assert.deepEqual(U.problems, []);
  await U.context.close();
});

test("sign out another session from the sessions list", async () => {
  const first = await newPage(env);
  const user = uniqueUser("sid");
  await signUpUi(env, first.page, user);
  const other = await newPage(env);
  await signInUi(env, other.page, user.username, user.password);
  await other.page.getByTestId("new-chat").waitFor();
  await first.page.goto(env.url + "/settings");
  const rows = first.page.getByTestId("sessions").locator("li");
  await rows.nth(1).waitFor();
  assert.equal(await rows.count(), 2);
  await rows.filter({ hasNotText: "This device" }).getByRole("button", { name: "Sign out" }).click();
  await first.page.waitForFunction(() => document.querySelectorAll('[data-testid="sessions"] li').length === 1);
  // The other browser is signed out at its next request.
  await other.page.reload();
  await other.page.getByRole("heading", { name: "Sign in to Parley" }).waitFor();
  assert.deepEqual(first.problems, []);
  await first.context.close();
  await other.context.close();
});

test("download my data, then delete the account", async () => {
  const U = await newPage(env);
  const user = uniqueUser("del");
  await signUpUi(env, U.page, user);
  await U.page.getByTestId("settings-link").click();
  const [download] = await Promise.all([U.page.waitForEvent("download"), U.page.getByTestId("export-data").click()]);
  const { readFile } = await import("node:fs/promises");
  const exported = JSON.parse(await readFile(await download.path(), "utf8"));
  assert.equal(exported.format, "parley-export/1");
  assert.ok(JSON.stringify(exported).includes(user.email), "the export holds the account's email");

  const data = U.page.getByRole("region", { name: "Your data" });
  await data.locator("summary", { hasText: "Delete my account" }).click();
  await data.getByLabel("Current password").fill("not my password");
  U.page.once("dialog", (d) => void d.accept());
  await data.getByTestId("delete-account").click();
  await data.getByRole("alert").waitFor();
  await data.getByLabel("Current password").fill(user.password);
  U.page.once("dialog", (d) => void d.accept());
  await data.getByTestId("delete-account").click();
  // Signed out, and the account is gone: signing in again is refused.
  await U.page.getByRole("button", { name: "Sign in" }).waitFor();
  await signInUi(env, U.page, user.username, user.password).catch(() => undefined);
  await U.page.getByText("Wrong email, username or password.").waitFor();
  assert.deepEqual(U.problems, []);
  await U.context.close();
});

test("a big group's details page through all its members", async () => {
  const U = await newPage(env);
  const owner = uniqueUser("big");
  await signUpUi(env, U.page, owner);
  const token = await tokenOf(U.page);
  const ids = [];
  for (let i = 0; i < 104; i++) {
    const u = uniqueUser("crowd");
    const r = await fetch(env.url + "/v1/auth/signup", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: u.email, username: u.username, password: u.password }),
    });
    const text = await r.text();
    assert.equal(r.status, 201, text);
    ids.push(JSON.parse(text).user.id);
  }
  const group = await api(env, token, "POST", "/v1/rooms", { kind: "group", name: "Big hall", members: ids.slice(0, 100) });
  for (const id of ids.slice(100)) await api(env, token, "POST", `/v1/rooms/${group.id}/members`, { user_id: id });
  const room = await api(env, token, "GET", `/v1/rooms/${group.id}`);
  assert.equal(room.member_count, 105);
  assert.ok(room.members.length <= 10, "the room object carries only the first few members");

  await U.page.reload();
  await U.page.locator(".room-item__title", { hasText: "Big hall" }).click();
  await U.page.getByTestId("conv-title").filter({ hasText: "Big hall" }).waitFor();
  await U.page.getByText("105 members").first().waitFor();
  await U.page.getByTestId("room-info-toggle").click();
  const items = U.page.getByTestId("members").locator(".members__item");
  await U.page.waitForFunction(() => document.querySelectorAll("[data-testid=members] .members__item").length === 100);
  await U.page.getByTestId("more-members").click();
  await U.page.waitForFunction(() => document.querySelectorAll("[data-testid=members] .members__item").length === 105);
  await U.page.getByTestId("more-members").waitFor({ state: "detached" });
  assert.equal(await items.count(), 105);
  assert.deepEqual(U.problems, []);
  await U.context.close();
});
