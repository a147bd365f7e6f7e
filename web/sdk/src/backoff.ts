// Reconnect delays: exponential backoff with full jitter (a uniformly random delay between 0 and
// the capped exponential), so that many clients cut at once do not come back at once.

export interface BackoffOptions {
  /** First ceiling; doubles per attempt. Default 500 ms. */
  baseMs?: number;
  /** Largest ceiling. Default 30 s. */
  capMs?: number;
  /** After a 4029 (rate limited): at least this long. Default 5 s. */
  rateLimitedMinMs?: number;
  /** After a 4029: ceiling above the minimum. Default 60 s. */
  rateLimitedCapMs?: number;
  /** A number in [0, 1). Default Math.random. */
  random?: () => number;
}

/** The full-jitter delay for `attempt` (0-based): random in [0, min(cap, base * 2^attempt)). */
export function fullJitter(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 52));
  return Math.floor(random() * ceiling);
}

export class Backoff {
  private attempt = 0;
  private readonly baseMs: number;
  private readonly capMs: number;
  private readonly rlMinMs: number;
  private readonly rlCapMs: number;
  private readonly random: () => number;

  constructor(opts: BackoffOptions = {}) {
    this.baseMs = opts.baseMs ?? 500;
    this.capMs = opts.capMs ?? 30_000;
    this.rlMinMs = opts.rateLimitedMinMs ?? 5_000;
    this.rlCapMs = opts.rateLimitedCapMs ?? 60_000;
    this.random = opts.random ?? Math.random;
  }

  /** Attempts since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The delay before the next attempt; `rateLimited` after the server said we reconnect too often. */
  next(rateLimited = false): number {
    const a = this.attempt++;
    if (!rateLimited) return fullJitter(a, this.baseMs, this.capMs, this.random);
    return this.rlMinMs + fullJitter(a, this.rlMinMs, this.rlCapMs, this.random);
  }

  reset(): void {
    this.attempt = 0;
  }
}
