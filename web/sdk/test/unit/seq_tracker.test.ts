import { test } from "node:test";
import assert from "node:assert/strict";
import { SeqTracker } from "../../src/realtime/seq_tracker.js";

test("delivers the next seq only, drops repeats and older ones", () => {
  const t = new SeqTracker();
  t.track("r", 40);
  assert.equal(t.accept("r", 41), "deliver");
  assert.equal(t.accept("r", 41), "drop");
  assert.equal(t.accept("r", 40), "drop");
  assert.equal(t.accept("r", 3), "drop");
  assert.equal(t.accept("r", 42), "deliver");
  assert.equal(t.since("r"), 42);
});

test("a gap asks for a re-subscription once, then drops until the replay catches up", () => {
  const t = new SeqTracker(5000);
  t.track("r", 0);
  assert.equal(t.accept("r", 1, 1000), "deliver");
  assert.equal(t.accept("r", 3, 1000), "resubscribe");
  assert.equal(t.since("r"), 1, "the resume point stays at the last delivered seq");
  assert.equal(t.accept("r", 4, 1001), "drop", "events in flight behind the gap do not ask again");
  // the replay: 2, 3, 4, then live 5
  assert.equal(t.accept("r", 2, 1002), "deliver");
  assert.equal(t.accept("r", 3, 1002), "deliver");
  assert.equal(t.accept("r", 4, 1002), "deliver");
  assert.equal(t.accept("r", 4, 1003), "drop", "the live copy of a replayed seq");
  assert.equal(t.accept("r", 5, 1003), "deliver");
});

test("a gap still open after resyncRetryMs asks again", () => {
  const t = new SeqTracker(5000);
  t.track("r", 10);
  assert.equal(t.accept("r", 12, 0), "resubscribe");
  assert.equal(t.accept("r", 13, 4999), "drop");
  assert.equal(t.accept("r", 14, 5000), "resubscribe");
});

test("after progress, a new gap asks at once", () => {
  const t = new SeqTracker(5000);
  t.track("r", 0);
  assert.equal(t.accept("r", 2, 0), "resubscribe");
  assert.equal(t.accept("r", 1, 1), "deliver");
  assert.equal(t.accept("r", 2, 1), "deliver");
  assert.equal(t.accept("r", 4, 2), "resubscribe");
});

test("rooms are independent; unknown rooms and bad seqs are dropped", () => {
  const t = new SeqTracker();
  t.track("a", 0);
  t.track("b", 7);
  assert.equal(t.accept("a", 1), "deliver");
  assert.equal(t.accept("b", 8), "deliver");
  assert.equal(t.accept("c", 1), "drop");
  assert.equal(t.accept("a", 1.5), "drop");
  assert.deepEqual(t.rooms(), [{ room: "a", since: 1 }, { room: "b", since: 8 }]);
  t.untrack("a");
  assert.equal(t.has("a"), false);
  assert.equal(t.accept("a", 2), "drop");
});

test("subscribed() clears a pending resync (a reconnect re-subscribes anyway)", () => {
  const t = new SeqTracker(5000);
  t.track("r", 0);
  assert.equal(t.accept("r", 5, 0), "resubscribe");
  t.subscribed("r");
  assert.equal(t.accept("r", 6, 1), "resubscribe");
});
