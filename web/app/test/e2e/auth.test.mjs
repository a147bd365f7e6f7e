// Accounts in a real browser: sign up, verify through the dev outbox's link, sign out, a wrong
// password's message, sign in; password reset by mail; TOTP enrolment and the sign-in code step.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mailTo, newPage, shot, signInUi, signUpUi, start, totp, uniqueUser } from "./harness.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

test("sign up, verify by the outbox link, sign out, sign in", async () => {
  const { page, context, problems } = await newPage(env);
  await page.goto(env.url + "/");
  await page.getByRole("heading", { name: "Sign in to Parley" }).waitFor();
  assert.equal(new URL(page.url()).pathname, "/sign-in");
  await shot(page, "sign-in");

  const ann = uniqueUser("ann");
  await signUpUi(env, page, ann);
  const banner = page.getByTestId("verify-banner");
  await banner.waitFor();
  assert.match(await banner.textContent(), new RegExp(ann.email.replace(".", "\\.")));

  // The dev outbox page lists the mail; its link opens the app's verify page.
  await banner.getByRole("link", { name: "Open the dev outbox" }).click();
  const mail = page.getByTestId("outbox-mail").filter({ hasText: ann.email }).first();
  await mail.waitFor();
  assert.match(await mail.textContent(), /Confirm your email/);
  await mail.getByRole("link", { name: "/verify-email" }).click();
  await page.getByTestId("mail-link-done").waitFor();
  assert.equal(new URL(page.url()).pathname, "/verify-email");
  await page.getByRole("link", { name: "Continue" }).click();
  await page.getByTestId("new-chat").waitFor();
  assert.equal(await page.getByTestId("verify-banner").count(), 0, "the reminder is gone once verified");

  // Sign out, a wrong password (the problem+json code as words), then the right one.
  await page.getByTestId("settings-link").click();
  await page.getByTestId("sign-out").click();
  await page.getByRole("heading", { name: "Sign in to Parley" }).waitFor();
  await signInUi(env, page, ann.username, "wrong password!");
  await page.getByRole("alert").filter({ hasText: "Wrong email, username or password." }).waitFor();
  await page.getByLabel("Password", { exact: true }).fill(ann.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("new-chat").waitFor();

  // Reload: still signed in (tokens in localStorage).
  await page.reload();
  await page.getByTestId("new-chat").waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test("sign-up errors are shown per field", async () => {
  const { page, context } = await newPage(env);
  const bob = uniqueUser("bob");
  await signUpUi(env, page, bob);
  await page.evaluate(() => localStorage.clear());
  await page.goto(env.url + "/sign-up");
  await page.getByLabel("Email", { exact: true }).fill("not-an-email");
  await page.getByLabel("Username").fill(bob.username);
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  // Either the validation of the fields, or the taken username: something names a field.
  const invalid = page.locator("[aria-invalid=true]");
  await invalid.first().waitFor();
  assert.ok((await invalid.count()) >= 1);
  await context.close();
});

test("password reset by the mailed link", async () => {
  const { page, context, problems } = await newPage(env);
  const cy = uniqueUser("cy");
  await signUpUi(env, page, cy);
  await page.evaluate(() => localStorage.clear());
  await page.goto(env.url + "/sign-in");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.getByLabel("Email").fill(cy.email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await page.getByRole("status").filter({ hasText: "reset link is on its way" }).waitFor();
  const mail = await mailTo(env, cy.email, "password");
  const link = mail.links.find((l) => l.includes("/reset-password?token="));
  assert.ok(link, "the mail links to /reset-password");
  await page.goto(link); // the SPA fallback serves the app at this path
  await page.getByLabel("New password").fill("a brand new password");
  await page.getByRole("button", { name: "Set password" }).click();
  await page.getByText("Your password was changed").waitFor();
  await signInUi(env, page, cy.email, cy.password);
  await page.getByRole("alert").filter({ hasText: "Wrong email" }).waitFor();
  await signInUi(env, page, cy.email, "a brand new password");
  await page.getByTestId("new-chat").waitFor();
  // The same link again is refused with a clear message.
  await page.goto(link);
  await page.getByLabel("New password").fill("another new password");
  await page.getByRole("button", { name: "Set password" }).click();
  await page.getByRole("alert").filter({ hasText: "invalid, expired or already used" }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test("TOTP: enrol with the QR code, recovery codes, sign in with a code", async () => {
  const { page, context, problems } = await newPage(env);
  const dee = uniqueUser("dee");
  await signUpUi(env, page, dee);
  await page.goto(env.url + "/settings");
  await page.getByTestId("totp-enable").click();
  const qr = page.getByTestId("totp-qr");
  await qr.waitFor();
  assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), "the QR SVG renders as an image");
  const secret = (await page.getByTestId("totp-secret").textContent()).trim();
  await page.getByLabel("Code").fill(totp(secret));
  await page.getByRole("button", { name: "Turn on" }).click();
  const codes = page.getByTestId("recovery-codes").locator("li");
  await codes.first().waitFor();
  assert.equal(await codes.count(), 10);
  const recovery = (await codes.first().textContent()).trim();
  await page.getByRole("button", { name: "Done" }).click();
  await page.getByText("Two-factor authentication is on.").waitFor();

  await page.getByTestId("sign-out").click();
  await signInUi(env, page, dee.username, dee.password);
  await page.getByText("This account uses two-factor authentication").waitFor();
  await page.getByLabel("Authentication code").fill("000000" === totp(secret) ? "111111" : "000000");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText("That code did not work").waitFor();
  assert.equal(await page.getByLabel("Authentication code").getAttribute("aria-invalid"), "true");
  // The code used to activate may not be used twice (replay): sign in with a recovery code.
  await page.getByLabel("Authentication code").fill(recovery);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("new-chat").waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test("two tabs share one session across token refreshes", async () => {
  const { page, context, problems } = await newPage(env);
  await page.clock.install();
  const eve = uniqueUser("eve");
  await signUpUi(env, page, eve);
  const log = [];
  context.on("response", async (r) => {
    if (r.url().includes("/v1/auth/")) log.push(`${Date.now() % 100000} ${r.request().method()} ${new URL(r.url()).pathname} ${r.status()} ${r.request().postData()?.slice(0, 40) ?? ""} ${(await r.text().catch(() => "")).slice(0, 120)}`);
  });
  const second = await context.newPage();
  await second.clock.install();
  await second.goto(env.url + "/");
  await second.getByTestId("new-chat").waitFor();
  const before = await page.evaluate(() => JSON.parse(localStorage.getItem("parley.tokens")).refreshToken);
  // 14.5 minutes later both tabs' refresh timers are due at once (refresh tokens are single use).
  await Promise.all([page.clock.fastForward("14:30"), second.clock.fastForward("14:30")]);
  await page.waitForFunction((old) => JSON.parse(localStorage.getItem("parley.tokens") ?? "null")?.refreshToken !== old, before);
  await page.waitForTimeout(1500);
  for (const p of [page, second]) {
    await p.goto(env.url + "/settings");
    await p.getByTestId("sessions").locator("li").first().waitFor().catch(async (e) => {
      throw new Error(`${e.message}\nURL ${p.url()}\nPAGE ${await p.locator("body").innerText()}\nSTORE ${await p.evaluate(() => localStorage.getItem("parley.tokens"))}\nLOG\n${log.join("\n")}`);
    });
    assert.equal(await p.getByRole("heading", { name: "Sign in to Parley" }).count(), 0, "still signed in");
  }
  assert.deepEqual(problems, []);
  await context.close();
});
