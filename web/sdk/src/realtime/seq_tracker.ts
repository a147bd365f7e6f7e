// The last delivered seq of each subscribed room. An event is delivered only when its seq is the
// next one: older or repeated seqs are duplicates (replays overlapping live events), and a seq
// beyond the next one means events were missed, so the room is re-subscribed from the last seq.

export type SeqVerdict =
  /** The next seq: hand it to the app. */
  | "deliver"
  /** Already delivered (or a room we no longer follow): drop it. */
  | "drop"
  /** A gap: drop it and re-subscribe with `since` = the last delivered seq. */
  | "resubscribe";

export class SeqTracker {
  private readonly last = new Map<string, number>();
  /** Rooms waiting for a re-subscription's replay, with the time it was asked. */
  private readonly resyncing = new Map<string, number>();

  /** @param resyncRetryMs a room still behind this long after a re-subscription asks again. */
  constructor(private readonly resyncRetryMs = 5_000) {}

  /** Starts following `room` from `since` (events with seq > since are wanted). */
  track(room: string, since: number): void {
    this.last.set(room, since);
    this.resyncing.delete(room);
  }

  untrack(room: string): void {
    this.last.delete(room);
    this.resyncing.delete(room);
  }

  has(room: string): boolean {
    return this.last.has(room);
  }

  /** The last delivered seq (the `since` to resume from), or undefined for an unknown room. */
  since(room: string): number | undefined {
    return this.last.get(room);
  }

  rooms(): Array<{ room: string; since: number }> {
    return [...this.last].map(([room, since]) => ({ room, since }));
  }

  /** A (re)subscription of `room` was sent now: its replay is what fills any gap. */
  subscribed(room: string): void {
    this.resyncing.delete(room);
  }

  /** Whether `room` is waiting for the replay of a gap re-subscription. */
  isResyncing(room: string): boolean {
    return this.resyncing.has(room);
  }

  /** A gap re-subscription of `room` was asked again now (by a timer). */
  resyncAsked(room: string, now: number = Date.now()): void {
    if (this.last.has(room)) this.resyncing.set(room, now);
  }

  accept(room: string, seq: number, now: number = Date.now()): SeqVerdict {
    const last = this.last.get(room);
    if (last === undefined || !Number.isInteger(seq) || seq <= last) return "drop";
    if (seq === last + 1) {
      this.last.set(room, seq);
      this.resyncing.delete(room);
      return "deliver";
    }
    // A gap. Ask once; the events in flight behind the gap are dropped until the replay catches up.
    const askedAt = this.resyncing.get(room);
    if (askedAt !== undefined && now - askedAt < this.resyncRetryMs) return "drop";
    this.resyncing.set(room, now);
    return "resubscribe";
  }
}
