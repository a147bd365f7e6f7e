// Shared by the integration tests: they run against a real Parley server at PARLEY_URL and are
// skipped, saying so, when it is not set. Start one with relaxed sign-up limits, e.g.
//   build/src/parley serve --dev --data "$(mktemp -d)" --listen 127.0.0.1:18080 --signup-limit-ip off
//   PARLEY_URL=http://127.0.0.1:18080 scripts/sdk.sh --integration
import WebSocket from "ws";
import { ParleyClient, type WebSocketConstructor } from "../../src/index.js";

export const PARLEY_URL = process.env.PARLEY_URL ?? "";

/** For `test(name, { skip }, fn)`: false, or why the test cannot run. */
export const skip: false | string = PARLEY_URL
  ? false
  : "PARLEY_URL is not set: these tests need a running Parley server (see test/integration/support.ts)";

/** Bounded knobs (environment) so a run stays small on a 2-core machine. */
export const envInt = (name: string, dflt: number): number => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : dflt;
};

let n = 0;
const runId = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

/** Every socket any client opened, so a test can cut them at random. */
export const sockets: WebSocket[] = [];
class TrackedWebSocket extends WebSocket {
  constructor(url: string) {
    super(url);
    sockets.push(this);
  }
}

export function newClient(): ParleyClient {
  return new ParleyClient({
    baseUrl: PARLEY_URL,
    WebSocket: TrackedWebSocket as unknown as WebSocketConstructor,
    realtime: { backoff: { baseMs: 50, capMs: 1000 } },
  });
}

/** A new account, signed in. */
export async function newUser(prefix = "u"): Promise<{ client: ParleyClient; id: string; username: string; password: string }> {
  const client = newClient();
  const username = `${prefix}${runId}${++n}`.slice(0, 32);
  const password = `pw-${runId}-${n}-long-enough`;
  const r = await client.auth.signup({ email: `${username}@example.test`, password, username });
  return { client, id: r.user.id, username, password };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function until(pred: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
}
