// The e2e harness: starts the real binary (PARLEY_BIN) in --dev mode on a free port with the
// built app (--web-root dist/), launches headless Chromium (playwright-core), and gives the
// tests small helpers. Everything it starts is stopped by stop().

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createHmac } from "node:crypto";
import { chromium } from "playwright-core";

const appDir = fileURLToPath(new URL("../../", import.meta.url));
export const DIST = join(appDir, "dist");
export const SHOTS = process.env.PARLEY_SCREENSHOTS || "";

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url, proc, ms = 20_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error(`parley exited with ${proc.exitCode} before it was healthy`);
    try {
      const r = await fetch(url + "/healthz");
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`parley not healthy at ${url} within ${ms} ms`);
}

export async function start() {
  const bin = process.env.PARLEY_BIN;
  if (!bin) throw new Error("PARLEY_BIN is not set: point it at the parley binary, e.g. PARLEY_BIN=build/src/parley npm run test:e2e");
  if (!existsSync(bin)) throw new Error(`PARLEY_BIN=${bin}: no such file`);
  if (!existsSync(join(DIST, "index.html"))) throw new Error(`${DIST}/index.html missing: run npm run build first`);
  const chromiumPath = process.env.CHROMIUM_BIN || "/usr/bin/chromium";
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} missing: apt-get install -y --no-install-recommends chromium (or set CHROMIUM_BIN)`);
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });

  const data = mkdtempSync(join(tmpdir(), "parley-e2e-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = ["serve", "--dev", "--data", data, "--listen", `127.0.0.1:${port}`, "--public-url", url, "--web-root", DIST,
    "--signup-limit-ip", "off", "--login-limit-ip", "off", "--mail-limit-address", "off", "--log-level", "warn",
    "--argon2-memory-kib", "1024", "--argon2-passes", "1"];
  const proc = spawn(bin, args, { stdio: ["ignore", "inherit", "inherit"] });
  const killOnExit = () => proc.exitCode === null && proc.kill("SIGKILL");
  process.once("exit", killOnExit); // the test process ending for any reason takes the server along
  let browser;
  try {
    await waitHealthy(url, proc);
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
  } catch (e) {
    proc.kill("SIGKILL");
    rmSync(data, { recursive: true, force: true });
    throw e;
  }
  const env = {
    url,
    browser,
    async stop() {
      await browser.close().catch(() => undefined);
      if (proc.exitCode === null) {
        proc.kill("SIGTERM");
        await Promise.race([new Promise((r) => proc.once("exit", r)), new Promise((r) => setTimeout(r, 5000))]);
        if (proc.exitCode === null) proc.kill("SIGKILL");
      }
      process.off("exit", killOnExit);
      rmSync(data, { recursive: true, force: true });
    },
  };
  return env;
}

/** A browser context + page that records page errors and CSP violations. */
export async function newPage(env, opts = {}) {
  const context = await env.browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 800 }, locale: opts.locale ?? "en-US", colorScheme: opts.colorScheme ?? "light", ...(opts.isMobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
  context.setDefaultTimeout(opts.timeout ?? 10_000);
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|Refused to/.test(m.text())) problems.push(`csp: ${m.text()}`);
  });
  return { context, page, problems };
}

let counter = 0;
export function uniqueUser(prefix) {
  const n = `${prefix}${Date.now().toString(36).slice(-5)}${counter++}`;
  return { username: n, email: `${n}@example.com`, password: "correct horse battery", display: prefix[0].toUpperCase() + prefix.slice(1) };
}

/** Signs up through the form; resolves when the chat screen shows. */
export async function signUpUi(env, page, user) {
  await page.goto(env.url + "/sign-up");
  await page.getByLabel("Email", { exact: true }).fill(user.email);
  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Display name").fill(user.display);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByTestId("new-chat").waitFor();
}

export async function signInUi(env, page, login, password) {
  await page.goto(env.url + "/sign-in");
  await page.getByLabel("Email or username").fill(login);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** The signed-in user's id, from the settings page. */
export async function myUserId(env, page) {
  await page.goto(env.url + "/settings");
  const id = (await page.getByTestId("my-user-id").textContent()).trim();
  await page.goto(env.url + "/");
  return id;
}

/** The access token the app keeps (to prepare data through the API quickly). */
export async function tokenOf(page) {
  return page.evaluate(() => JSON.parse(localStorage.getItem("parley.tokens")).accessToken);
}

export async function api(env, token, method, path, body) {
  const r = await fetch(env.url + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** The dev outbox's newest mail to `to` (polled: mail is written after the answer). */
export async function mailTo(env, to, subjectPart, ms = 10_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const r = await (await fetch(env.url + "/dev/outbox")).json();
    const m = r.items.find((x) => x.to === to && (!subjectPart || x.subject.includes(subjectPart)));
    if (m) return m;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`no mail to ${to} (${subjectPart ?? "any"}) in the outbox`);
}

export async function shot(page, name) {
  if (!SHOTS) return;
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) of a base32 secret. */
export function totp(secret, at = Date.now()) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of secret.replace(/=+$/, "").toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const h = createHmac("sha1", key).update(counter).digest();
  const o = h[h.length - 1] & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

/** Confirms `email` with the token of its verification mail, through the API (setup only). */
export async function verifyByApi(env, email) {
  const mail = await mailTo(env, email, "Confirm");
  const link = mail.links.find((l) => l.includes("/verify-email?token="));
  const token = new URL(link).searchParams.get("token");
  const r = await fetch(env.url + "/v1/auth/verify-email/confirm", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ token }) });
  if (!r.ok) throw new Error(`verify ${email}: ${r.status}`);
}
