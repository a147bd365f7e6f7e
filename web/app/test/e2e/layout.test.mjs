// The app for people: dark mode (system and toggle), Hebrew right to left, a phone-sized screen
// (list → conversation → back), keyboard use of the composer.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { api, myUserId, newPage, shot, signUpUi, start, tokenOf, uniqueUser, verifyByApi } from "./harness.mjs";

let env, other, otherId;

before(async () => {
  env = await start();
  other = await newPage(env);
  await signUpUi(env, other.page, uniqueUser("olga"));
  otherId = await myUserId(env, other.page);
});
after(async () => {
  await env?.stop();
});

/** A signed-up user with a direct room with Olga, holding a few messages. */
async function userWithRoom(opts = {}) {
  const p = await newPage(env, opts);
  const user = uniqueUser(opts.name ?? "uma");
  await signUpUi(env, p.page, user);
  await verifyByApi(env, user.email);
  const token = await tokenOf(p.page);
  const room = await api(env, token, "POST", "/v1/rooms", { kind: "direct", member: otherId });
  const otherToken = await tokenOf(other.page);
  await api(env, otherToken, "POST", `/v1/rooms/${room.id}/messages`, { client_id: "hi-1", body: "Hi! How are you?" });
  await api(env, token, "POST", `/v1/rooms/${room.id}/messages`, { client_id: "re-1", body: "Great, thanks. שלום!" });
  const group = await api(env, token, "POST", "/v1/rooms", { kind: "group", name: "Climbing club", members: [otherId] });
  await api(env, otherToken, "POST", `/v1/rooms/${group.id}/messages`, { client_id: "g-1", body: "Saturday at 9?" });
  await p.page.reload();
  return { ...p, room, group };
}

const bg = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const luminance = (rgb) => {
  const [r, g, b] = rgb.match(/\d+/g).map(Number);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

test("dark mode follows the system and the toggle", async () => {
  const u = await userWithRoom({ colorScheme: "dark" });
  await u.page.getByTestId("room-item").first().waitFor();
  assert.equal(await u.page.evaluate(() => document.documentElement.dataset.theme), "dark");
  assert.ok(luminance(await bg(u.page)) < 60, "dark background");
  await u.page.locator(`[data-room-id="${u.room.id}"]`).first().click();
  await u.page.getByTestId("message").first().waitFor();
  await shot(u.page, "dark-mode");
  await u.page.getByTestId("theme-toggle").click();
  assert.equal(await u.page.evaluate(() => document.documentElement.dataset.theme), "light");
  assert.ok(luminance(await bg(u.page)) > 200, "light background after the toggle");
  await u.page.reload();
  await u.page.getByTestId("message").first().waitFor();
  assert.equal(await u.page.evaluate(() => document.documentElement.dataset.theme), "light", "the choice is kept");
  assert.deepEqual(u.problems, []);
  await u.context.close();
});

test("Hebrew renders right to left", async () => {
  const u = await userWithRoom({ name: "hila" });
  await u.page.locator(`[data-room-id="${u.room.id}"]`).first().click();
  await u.page.getByTestId("message").first().waitFor();
  await u.page.goto(env.url + "/settings");
  await u.page.getByTestId("lang-select").selectOption("he");
  assert.equal(await u.page.evaluate(() => document.dir), "rtl");
  assert.equal(await u.page.evaluate(() => document.documentElement.lang), "he");
  await u.page.getByRole("heading", { name: "הגדרות" }).waitFor();
  await u.page.goto(env.url + `/rooms/${u.room.id}`);
  await u.page.getByTestId("message").first().waitFor();
  assert.equal(await u.page.evaluate(() => document.dir), "rtl", "kept across loads");
  // Layout: the sidebar is on the right, my messages on the left, the composer's text starts right.
  const side = await u.page.locator(".sidebar").boundingBox();
  const main = await u.page.locator(".shell__main").boundingBox();
  assert.ok(side.x > main.x, `sidebar (x=${side.x}) right of the conversation (x=${main.x})`);
  const mine = await u.page.getByTestId("message").filter({ hasText: "Great, thanks." }).locator(".msg__bubble").boundingBox();
  const theirs = await u.page.getByTestId("message").filter({ hasText: "How are you?" }).locator(".msg__bubble").boundingBox();
  assert.ok(mine.x < theirs.x, "my message on the left, theirs on the right");
  assert.equal(await u.page.getByTestId("send").getAttribute("aria-label"), "שליחה", "the send button is labelled in Hebrew");
  await shot(u.page, "hebrew-rtl");
  assert.deepEqual(u.problems, []);
  await u.context.close();
});

test("a phone-sized screen: the list, a conversation, back", async () => {
  const u = await userWithRoom({ name: "pia", viewport: { width: 390, height: 844 }, isMobile: true });
  const list = u.page.locator(".sidebar");
  const item = u.page.locator(`[data-room-id="${u.room.id}"]`).first();
  await item.waitFor();
  assert.ok(await list.isVisible());
  assert.equal(await u.page.getByTestId("conversation").count(), 0);
  const box = await list.boundingBox();
  assert.ok(box.width <= 390, "the list fits the screen");
  await shot(u.page, "phone-rooms");
  await item.tap();
  const conv = u.page.getByTestId("conversation");
  await conv.waitFor();
  assert.equal(await list.isVisible(), false, "the list makes room for the conversation");
  const cbox = await conv.boundingBox();
  assert.ok(cbox.width <= 390 && cbox.width > 300, "the conversation takes the screen");
  await u.page.getByTestId("composer").fill("Sent from a phone");
  await u.page.getByTestId("send").tap();
  await u.page.getByTestId("message").filter({ hasText: "Sent from a phone" }).waitFor();
  const overflow = await u.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, "no sideways scrolling");
  await shot(u.page, "phone-conversation");
  await u.page.getByRole("link", { name: "Back to chats" }).tap();
  await item.waitFor();
  assert.equal(await u.page.getByTestId("conversation").count(), 0);
  assert.deepEqual(u.problems, []);
  await u.context.close();
});

test("the room list and the composer work from the keyboard", async () => {
  const u = await userWithRoom({ name: "kim" });
  await u.page.locator(`[data-room-id="${u.group.id}"]`).first().waitFor();
  // Tab to the group's row and open it with Enter.
  await u.page.locator(`[data-room-id="${u.group.id}"]`).first().focus();
  await u.page.keyboard.press("Enter");
  await u.page.getByTestId("conversation").waitFor();
  await u.page.getByTestId("composer").focus();
  await u.page.keyboard.type("Typed with the keyboard");
  await u.page.keyboard.press("Enter");
  await u.page.getByTestId("message").filter({ hasText: "Typed with the keyboard" }).waitFor();
  // Group details: the join code is shown to its owner, who can replace it.
  await u.page.getByTestId("room-info-toggle").click();
  const code = u.page.getByTestId("join-code");
  const before = (await code.textContent()).trim();
  assert.match(before, /^[0-9a-f]{12}$/);
  await u.page.getByTestId("regenerate-code").click();
  await u.page.waitForFunction((old) => document.querySelector('[data-testid="join-code"]')?.textContent?.trim() !== old, before);
  await shot(u.page, "room-list-and-conversation");
  assert.deepEqual(u.problems, []);
  await u.context.close();
});

test("every control on the main screens has an accessible name", async () => {
  const u = await userWithRoom({ name: "ally" });
  const unnamed = () =>
    u.page.evaluate(() => {
      const bad = [];
      for (const el of document.querySelectorAll("button, a[href], input:not([type=hidden]), select, textarea, [tabindex='0']")) {
        if (el.closest("[hidden]") || el.getClientRects().length === 0) continue;
        const id = el.getAttribute("id");
        const named =
          (el.getAttribute("aria-label") ?? "").trim() ||
          (el.getAttribute("aria-labelledby") ?? "").trim() ||
          (id && document.querySelector(`label[for="${id}"]`)) ||
          el.closest("label") ||
          (["BUTTON", "A"].includes(el.tagName) && el.textContent.trim());
        if (!named) bad.push(el.outerHTML.slice(0, 120));
      }
      return bad;
    });
  await u.page.locator(`[data-room-id="${u.group.id}"]`).first().click();
  await u.page.getByTestId("message").first().waitFor();
  await u.page.getByTestId("room-info-toggle").click();
  assert.deepEqual(await unnamed(), [], "chat screen");
  await u.page.getByTestId("new-chat").click();
  assert.deepEqual(await unnamed(), [], "new chat dialog");
  await u.page.keyboard.press("Escape");
  await u.page.goto(env.url + "/settings");
  await u.page.getByTestId("sessions").locator("li").first().waitFor();
  assert.deepEqual(await unnamed(), [], "settings");
  await u.page.evaluate(() => localStorage.removeItem("parley.tokens"));
  await u.page.goto(env.url + "/sign-up");
  assert.deepEqual(await unnamed(), [], "sign-up");
  await u.context.close();
});
