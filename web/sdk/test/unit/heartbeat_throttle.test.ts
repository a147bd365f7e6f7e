import { test } from "node:test";
import assert from "node:assert/strict";
import { Heartbeat } from "../../src/realtime/heartbeat.js";
import { TypingThrottle } from "../../src/realtime/typing_throttle.js";
import { Emitter } from "../../src/emitter.js";
import { FakeClock } from "../helpers/fake_clock.js";

test("heartbeat: ping after silence, dead after more silence, any frame keeps it alive", () => {
  const clock = new FakeClock();
  const pings: string[] = [];
  let dead = 0;
  const hb = new Heartbeat(clock, 25_000, 10_000, (id) => pings.push(id), () => dead++);
  hb.start();
  clock.advance(20_000);
  hb.seen(); // a frame at 20 s: the next ping is due at 45 s
  clock.advance(24_999);
  assert.deepEqual(pings, []);
  clock.advance(1);
  assert.deepEqual(pings, ["hb1"]);
  clock.advance(5_000);
  hb.seen(); // the pong
  clock.advance(24_999);
  assert.equal(dead, 0);
  assert.deepEqual(pings, ["hb1"]);
  clock.advance(1);
  assert.deepEqual(pings, ["hb1", "hb2"]);
  clock.advance(9_999);
  assert.equal(dead, 0);
  clock.advance(1);
  assert.equal(dead, 1, "no frame within the timeout after a ping");
  hb.stop();
  assert.deepEqual(clock.pending(), []);
});

test("heartbeat: stop() cancels everything; seen() after stop does nothing", () => {
  const clock = new FakeClock();
  let pings = 0;
  const hb = new Heartbeat(clock, 100, 100, () => pings++, () => assert.fail("dead after stop"));
  hb.start();
  clock.advance(100);
  hb.stop();
  hb.seen();
  clock.advance(1000);
  assert.equal(pings, 1);
  assert.deepEqual(clock.pending(), []);
});

test("typing throttle: one per room per interval", () => {
  const t = new TypingThrottle(3000);
  assert.equal(t.allow("a", 0), true);
  assert.equal(t.allow("a", 2999), false);
  assert.equal(t.allow("b", 2999), true);
  assert.equal(t.allow("a", 3000), true);
  t.forget("a");
  assert.equal(t.allow("a", 3001), true);
});

test("emitter: on/off/once, and a throwing listener does not stop the others", async () => {
  const e = new Emitter<{ x: number }>();
  const got: string[] = [];
  const off = e.on("x", (n) => got.push(`a${n}`));
  e.once("x", (n) => got.push(`b${n}`));
  e.emit("x", 1);
  e.emit("x", 2);
  off();
  e.emit("x", 3);
  assert.deepEqual(got, ["a1", "b1", "a2"]);

  // The rethrow is scheduled with setTimeout: capture it instead of crashing the test process.
  const scheduled: Array<() => void> = [];
  const realSetTimeout = globalThis.setTimeout;
  globalThis.setTimeout = ((fn: () => void) => {
    scheduled.push(fn);
    return 0;
  }) as unknown as typeof setTimeout;
  try {
    e.on("x", () => {
      throw new Error("app bug");
    });
    e.on("x", (n) => got.push(`c${n}`));
    e.emit("x", 4);
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
  assert.deepEqual(got.slice(-1), ["c4"]);
  assert.equal(scheduled.length, 1);
  assert.throws(scheduled[0], /app bug/);
});
