// Time and timers behind one small interface, so the tests can drive them.

export type TimerHandle = unknown;

export interface Clock {
  now(): number;
  /**
   * keepAlive: in Node, the timer keeps the process alive (a reconnect the app asked for, a send
   * awaiting its ack). Otherwise (token refresh, heartbeats) it does not on its own.
   */
  setTimeout(fn: () => void, ms: number, keepAlive?: boolean): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** setTimeout's delay is a signed 32-bit number of ms; longer delays fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms, keepAlive = false) {
    const h = setTimeout(fn, Math.min(Math.max(0, ms), MAX_TIMER_MS));
    // Node: a background SDK timer must not keep the process alive on its own.
    if (!keepAlive) (h as { unref?: () => void }).unref?.();
    return h;
  },
  clearTimeout(h) {
    clearTimeout(h as ReturnType<typeof setTimeout>);
  },
};
