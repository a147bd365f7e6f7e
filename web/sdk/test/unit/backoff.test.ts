import { test } from "node:test";
import assert from "node:assert/strict";
import { Backoff, fullJitter } from "../../src/backoff.js";

test("full jitter stays in [0, min(cap, base * 2^attempt))", () => {
  for (let attempt = 0; attempt < 40; attempt++) {
    const ceiling = Math.min(30_000, 500 * 2 ** attempt);
    for (const r of [0, 0.25, 0.5, 0.999999]) {
      const d = fullJitter(attempt, 500, 30_000, () => r);
      assert.ok(d >= 0 && d < ceiling, `attempt ${attempt} r ${r}: ${d} not in [0, ${ceiling})`);
    }
  }
  assert.equal(fullJitter(0, 500, 30_000, () => 0.5), 250);
  assert.equal(fullJitter(3, 500, 30_000, () => 0.5), 2000);
  assert.equal(fullJitter(1000, 500, 30_000, () => 0.5), 15_000); // huge attempts stay capped, no Infinity
});

test("Backoff grows per attempt, is capped, and resets", () => {
  const b = new Backoff({ baseMs: 100, capMs: 1000, random: () => 0.999 });
  const delays = Array.from({ length: 8 }, () => b.next());
  assert.deepEqual(delays, [99, 199, 399, 799, 999, 999, 999, 999]);
  assert.equal(b.attempts, 8);
  b.reset();
  assert.equal(b.attempts, 0);
  assert.equal(b.next(), 99);
});

test("Backoff after rate limiting waits at least the minimum and at most min + cap", () => {
  const lo = new Backoff({ rateLimitedMinMs: 5000, rateLimitedCapMs: 60_000, random: () => 0 });
  const hi = new Backoff({ rateLimitedMinMs: 5000, rateLimitedCapMs: 60_000, random: () => 0.999999 });
  for (let i = 0; i < 20; i++) {
    const a = lo.next(true);
    const z = hi.next(true);
    assert.equal(a, 5000);
    assert.ok(z >= 5000 && z < 65_000, String(z));
  }
  assert.ok(hi.next(true) > 60_000, "the ceiling grows to the cap");
});

test("random delays are spread out (not all the same)", () => {
  const b = new Backoff({ baseMs: 1000, capMs: 1000 });
  const seen = new Set(Array.from({ length: 50 }, () => b.next()));
  assert.ok(seen.size > 10);
  for (const d of seen) assert.ok(d >= 0 && d < 1000);
});
