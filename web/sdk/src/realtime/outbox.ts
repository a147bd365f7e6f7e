// Sends waiting for their ack. Each keeps its client_id, so sending it again after a reconnect
// is safe: the server answers a known client_id with the original message.

import type { Clock, TimerHandle } from "../clock.js";
import { ParleyError } from "../errors.js";
import type { ClientFrame } from "./frames.js";

export interface Ack {
  client_id: string;
  seq: number;
  /** The message id. */
  id: string;
}

interface Pending {
  frame: ClientFrame & { op: "send" };
  resolve: (ack: Ack) => void;
  reject: (err: ParleyError) => void;
  timer: TimerHandle | undefined;
}

export class Outbox {
  private readonly pending = new Map<string, Pending>(); // insertion order = send order

  constructor(private readonly clock: Clock) {}

  get size(): number {
    return this.pending.size;
  }

  has(clientId: string): boolean {
    return this.pending.has(clientId);
  }

  /** Queues a send until its ack; rejected with `timeout` after `timeoutMs` when given. */
  add(frame: ClientFrame & { op: "send" }, timeoutMs?: number): Promise<Ack> {
    const id = frame.client_id;
    if (this.pending.has(id)) return Promise.reject(ParleyError.local("duplicate_client_id", `a send with client_id ${id} is already pending`));
    return new Promise<Ack>((resolve, reject) => {
      const p: Pending = { frame, resolve, reject, timer: undefined };
      if (timeoutMs !== undefined) {
        p.timer = this.clock.setTimeout(() => this.fail(id, ParleyError.local("timeout", `no ack for client_id ${id} within ${timeoutMs} ms`)), timeoutMs, true);
      }
      this.pending.set(id, p);
    });
  }

  /** The frames still waiting, oldest first (to send again after a reconnect). */
  frames(): Array<ClientFrame & { op: "send" }> {
    return [...this.pending.values()].map((p) => p.frame);
  }

  /** Resolves the send with this client_id; false when none is pending (a late or foreign ack). */
  ack(ack: Ack): boolean {
    const p = this.take(ack.client_id);
    if (!p) return false;
    p.resolve({ client_id: ack.client_id, seq: ack.seq, id: ack.id });
    return true;
  }

  fail(clientId: string, err: ParleyError): boolean {
    const p = this.take(clientId);
    if (!p) return false;
    p.reject(err);
    return true;
  }

  failAll(err: ParleyError): void {
    for (const id of [...this.pending.keys()]) this.fail(id, err);
  }

  private take(clientId: string): Pending | undefined {
    const p = this.pending.get(clientId);
    if (!p) return undefined;
    this.pending.delete(clientId);
    if (p.timer !== undefined) this.clock.clearTimeout(p.timer);
    return p;
  }
}
