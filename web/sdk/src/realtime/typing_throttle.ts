// At most one typing signal per room per interval (3 s by default).

export class TypingThrottle {
  private readonly lastSent = new Map<string, number>();

  constructor(private readonly intervalMs = 3_000) {}

  /** True when a signal for `room` may go now (and records it). */
  allow(room: string, now: number = Date.now()): boolean {
    const last = this.lastSent.get(room);
    if (last !== undefined && now - last < this.intervalMs) return false;
    this.lastSent.set(room, now);
    return true;
  }

  forget(room: string): void {
    this.lastSent.delete(room);
  }
}
