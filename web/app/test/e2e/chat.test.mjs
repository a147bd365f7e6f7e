// Two people in two browser contexts: a direct room, messages both ways live, unread badge,
// typing, read receipts, reply/edit/delete, history after a reload and further back by
// scrolling, and going offline and back without losing a message.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { api, myUserId, newPage, shot, signUpUi, start, tokenOf, uniqueUser, verifyByApi } from "./harness.mjs";

let env, A, B, annId, benId, benName, roomId;

before(async () => {
  env = await start();
  A = await newPage(env);
  B = await newPage(env);
  const ann = uniqueUser("ann");
  const ben = uniqueUser("ben");
  benName = ben.username;
  await signUpUi(env, A.page, ann);
  await signUpUi(env, B.page, ben);
  await verifyByApi(env, ann.email);
  await verifyByApi(env, ben.email);
  annId = await myUserId(env, A.page);
  benId = await myUserId(env, B.page);
});
after(async () => {
  await env?.stop();
});

/** The stored message whose text is exactly `text`. */
const msg = (page, text) => page.getByTestId("message").filter({ has: page.getByTestId("message-body").getByText(text, { exact: true }) });
const composer = (page) => page.getByTestId("composer");

async function openDirect(page, other) {
  await page.getByTestId("new-chat").click();
  await page.getByLabel("Username or user id", { exact: true }).fill(other);
  await page.getByRole("button", { name: "Start chat" }).click();
  await page.getByTestId("conversation").waitFor();
  return page.getByTestId("conversation").getAttribute("data-room-id");
}

async function send(page, text) {
  await composer(page).fill(text);
  await composer(page).press("Enter");
}

test("two users chat both ways live, with unread badges, typing and read receipts", async () => {
  // Ben opens the direct room first, then goes back to the list.
  const benRoom = await openDirect(B.page, annId);
  await B.page.goto(env.url + "/");
  await B.page.getByTestId("room-item").first().waitFor();

  // Ann finds Ben by his username (any case); the room is named after him, his display name.
  roomId = await openDirect(A.page, "@" + benName.toUpperCase());
  assert.equal(roomId, benRoom, "one direct room per pair");
  assert.ok(benId, "Ben has an id");
  await A.page.getByTestId("conv-title").filter({ hasText: "Ben" }).waitFor();
  await send(A.page, "Hello Ben!");
  await msg(A.page, "Hello Ben!").waitFor();

  // Ben's list: the room shows the message and an unread badge, live.
  const item = B.page.locator(`[data-room-id="${roomId}"]`);
  await item.getByTestId("unread-badge").filter({ hasText: "1" }).waitFor();
  assert.match(await item.textContent(), /Hello Ben!/);

  // Ben opens it: the badge goes, Ann's message shows as read.
  await item.click();
  await msg(B.page, "Hello Ben!").waitFor();
  assert.equal(await item.getByTestId("unread-badge").count(), 0);
  await A.page.getByTestId("receipt").filter({ hasText: "Read" }).waitFor();

  // Ben types: Ann sees it; Ben answers: Ann gets it live.
  await composer(B.page).pressSequentially("Hi Ann", { delay: 20 });
  await A.page.getByTestId("typing").filter({ hasText: "is typing" }).waitFor();
  await composer(B.page).press("Enter");
  await msg(A.page, "Hi Ann").waitFor();
  await B.page.getByTestId("receipt").filter({ hasText: "Read" }).waitFor();
  assert.equal(await A.page.getByTestId("typing").textContent(), "", "typing ends with the message");
  // Presence: each sees the other online.
  await A.page.getByTestId("presence").filter({ hasText: "online" }).waitFor();
  await B.page.getByTestId("presence").filter({ hasText: "online" }).waitFor();
  await shot(A.page, "conversation-desktop");
  assert.deepEqual([...A.problems, ...B.problems], []);
});

test("reply, edit and delete reach the other side", async () => {
  const hi = msg(A.page, "Hi Ann");
  await hi.locator(".msg__bubble").hover();
  await hi.getByRole("button", { name: "Reply" }).click();
  await A.page.getByText("Replying to").waitFor();
  await send(A.page, "Replying to you");
  const reply = msg(B.page, "Replying to you");
  await reply.locator(".quote").filter({ hasText: "Hi Ann" }).waitFor();

  const mine = msg(A.page, "Replying to you");
  await mine.locator(".msg__bubble").hover();
  await mine.getByRole("button", { name: "Edit" }).click();
  await A.page.getByText("Editing message").waitFor();
  assert.equal(await composer(A.page).inputValue(), "Replying to you", "the composer holds the text to edit");
  await composer(A.page).fill("Replying to you (edited)");
  await composer(A.page).press("Enter");
  await msg(B.page, "Replying to you (edited)").filter({ hasText: "edited" }).waitFor();

  const first = msg(A.page, "Hello Ben!");
  await first.locator(".msg__bubble").hover();
  A.page.once("dialog", (d) => d.accept());
  await first.getByRole("button", { name: "Delete" }).click();
  await msg(B.page, "This message was deleted.").waitFor();
  assert.equal(await msg(B.page, "Hello Ben!").count(), 0);
});

test("a reload keeps the history, and scrolling up loads older messages", async () => {
  const token = await tokenOf(A.page);
  for (let i = 1; i <= 70; i++) {
    await api(env, token, "POST", `/v1/rooms/${roomId}/messages`, { client_id: `bulk-${i}`, body: `bulk message ${i}` });
  }
  await B.page.reload();
  await msg(B.page, "bulk message 70").waitFor();
  await msg(B.page, "Hi Ann").count(); // may or may not be loaded yet
  assert.equal(await msg(B.page, "bulk message 1").count(), 0, "only the newest page at first");
  // Scroll to the top until the first message of the room shows.
  const list = B.page.getByTestId("messages");
  for (let i = 0; i < 10 && (await B.page.getByText("This is the beginning of the conversation.").count()) === 0; i++) {
    await list.evaluate((el) => (el.scrollTop = 0));
    await B.page.waitForTimeout(300);
  }
  await B.page.getByText("This is the beginning of the conversation.").waitFor();
  const bodies = await B.page.getByTestId("message-body").allTextContents();
  assert.ok(bodies.includes("bulk message 1") && bodies.includes("Hi Ann"), "the whole history is there");
  const bulk = bodies.filter((b) => b.startsWith("bulk message ")).map((b) => Number(b.slice(13)));
  assert.deepEqual(bulk, Array.from({ length: 70 }, (_, i) => i + 1), "in order, once each");
});

test("offline and back: nothing is lost, the reconnecting state shows", async () => {
  await msg(B.page, "bulk message 70").waitFor();
  await B.page.getByTestId("messages").evaluate((el) => (el.scrollTop = el.scrollHeight));
  await B.context.setOffline(true);
  const banner = B.page.locator(".conn-banner--shown");
  await banner.waitFor();
  assert.match(await banner.textContent(), /You are offline/);
  // The SDK's real-time client is reconnecting (its `state` event), not just the browser offline.
  await B.page.locator('[data-testid="conn-banner"][data-state="reconnecting"]').waitFor();
  await shot(B.page, "offline");

  // Ann sees Ben go offline, with a last-seen time (his privacy setting allows it).
  await A.page.getByTestId("presence").filter({ hasText: "last seen" }).waitFor();

  // Ann sends while Ben is away; Ben writes one too.
  await send(A.page, "Sent while you were offline");
  await msg(A.page, "Sent while you were offline").waitFor();
  await send(B.page, "Written offline");
  await B.page.getByTestId("pending-message").filter({ hasText: "Written offline" }).waitFor();
  await B.page.waitForTimeout(1500);
  assert.equal(await msg(B.page, "Sent while you were offline").count(), 0, "not delivered while offline");

  await B.context.setOffline(false);
  await msg(B.page, "Sent while you were offline").waitFor({ timeout: 20_000 });
  await msg(A.page, "Written offline").waitFor({ timeout: 20_000 });
  await B.page.locator(".conn-banner--shown").waitFor({ state: "detached", timeout: 20_000 });
  await A.page.getByTestId("presence").filter({ hasText: "online" }).waitFor();
  assert.equal(await B.page.getByTestId("pending-message").count(), 0);
  assert.equal(await msg(B.page, "Written offline").count(), 1, "stored once");
  assert.equal(await msg(A.page, "Written offline").count(), 1);
  assert.deepEqual([...A.problems, ...B.problems], []);
});
