// Liveness of the socket: after `intervalMs` without any frame from the server, send a ping;
// if nothing at all arrives within `timeoutMs` after it, the socket is considered dead.
// seen() runs on every frame, so it only notes the time; the one idle timer re-arms itself.

import type { Clock, TimerHandle } from "../clock.js";

export class Heartbeat {
  private idleTimer: TimerHandle | undefined;
  private deadTimer: TimerHandle | undefined;
  private lastSeen = 0;
  private n = 0;
  private running = false;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly timeoutMs: number,
    private readonly sendPing: (id: string) => void,
    private readonly onDead: () => void,
  ) {}

  start(): void {
    this.stop();
    this.running = true;
    this.lastSeen = this.clock.now();
    this.arm(this.intervalMs);
  }

  /** Any frame from the server proves the socket alive. */
  seen(): void {
    if (!this.running) return;
    this.lastSeen = this.clock.now();
    if (this.deadTimer !== undefined) {
      this.clock.clearTimeout(this.deadTimer);
      this.deadTimer = undefined;
      this.arm(this.intervalMs);
    }
  }

  stop(): void {
    this.running = false;
    if (this.idleTimer !== undefined) this.clock.clearTimeout(this.idleTimer);
    if (this.deadTimer !== undefined) this.clock.clearTimeout(this.deadTimer);
    this.idleTimer = this.deadTimer = undefined;
  }

  private arm(ms: number): void {
    this.idleTimer = this.clock.setTimeout(() => this.onIdle(), ms);
  }

  private onIdle(): void {
    this.idleTimer = undefined;
    if (!this.running) return;
    const quiet = this.clock.now() - this.lastSeen;
    if (quiet < this.intervalMs) return this.arm(this.intervalMs - quiet);
    this.sendPing(`hb${++this.n}`);
    this.deadTimer = this.clock.setTimeout(() => {
      this.deadTimer = undefined;
      if (this.running) this.onDead();
    }, this.timeoutMs);
  }
}
