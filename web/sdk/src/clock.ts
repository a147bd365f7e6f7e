// Time and timers behind one small interface, so the tests can drive them.

export type TimerHandle = unknown;

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** setTimeout's delay is a signed 32-bit number of ms; longer delays fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const h = setTimeout(fn, Math.min(Math.max(0, ms), MAX_TIMER_MS));
    // Node: a pending SDK timer must not keep the process alive on its own.
    (h as { unref?: () => void }).unref?.();
    return h;
  },
  clearTimeout(h) {
    clearTimeout(h as ReturnType<typeof setTimeout>);
  },
};
