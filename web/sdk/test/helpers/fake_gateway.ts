// A tiny in-process stand-in for /v1/ws (npm `ws`), enough to drive the real-time client's
// reconnect/resume state machine: auth, sub with replay, live events, acks deduplicated by
// client_id, ping/pong, and knobs to cut or close connections.
import { WebSocketServer, type WebSocket } from "ws";
import type { AddressInfo } from "node:net";

export interface Conn {
  n: number;
  ws: WebSocket;
  token: string | null;
  subs: Set<string>;
  frames: Array<Record<string, unknown>>;
}

export class FakeGateway {
  readonly wss: WebSocketServer;
  readonly conns: Conn[] = [];
  readonly log = new Map<string, Array<Record<string, unknown>>>();
  readonly acks = new Map<string, { seq: number; id: string }>();
  /** Tokens refused with 4401. */
  readonly badTokens = new Set<string>();
  ignorePings = false;
  /** A `sub` for a room the connection already follows is ignored (no replay). */
  ignoreResub = false;
  /** Sends are recorded but neither committed nor answered. */
  stallSends = false;
  /** Called for each new send after it is committed; return "cut" to drop the socket before the ack. */
  onCommit: (conn: Conn, clientId: string) => "ack" | "cut" = () => "ack";
  private ids = 1000;

  private constructor(wss: WebSocketServer) {
    this.wss = wss;
    wss.on("connection", (ws) => this.accept(ws));
  }

  static async start(): Promise<FakeGateway> {
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((r) => wss.once("listening", () => r()));
    return new FakeGateway(wss);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}/v1/ws`;
  }

  get last(): Conn {
    return this.conns[this.conns.length - 1];
  }

  /** Frames the client sent on connection n (0-based), as op strings or whole frames. */
  ops(n: number): string[] {
    return this.conns[n].frames.map((f) => String(f.op));
  }

  /** Appends an event to a room and sends it to the subscribed connections. */
  publish(room: string, t = "msg", extra: Record<string, unknown> = {}): number {
    const events = this.log.get(room) ?? [];
    this.log.set(room, events);
    const seq = events.length + 1;
    const frame = { t, room, seq, message: { id: String(this.ids++), room_id: room, seq, body: `m${seq}`, ...extra } };
    events.push(frame);
    for (const c of this.conns) if (c.subs.has(room) && c.ws.readyState === 1) c.ws.send(JSON.stringify(frame));
    return seq;
  }

  /** Sends a raw frame to the newest connection. */
  raw(frame: unknown): void {
    this.last.ws.send(JSON.stringify(frame));
  }

  async close(): Promise<void> {
    for (const c of this.conns) c.ws.terminate();
    await new Promise<void>((r) => this.wss.close(() => r()));
  }

  private accept(ws: WebSocket): void {
    const conn: Conn = { n: this.conns.length, ws, token: null, subs: new Set(), frames: [] };
    this.conns.push(conn);
    ws.on("message", (data) => {
      const f = JSON.parse(String(data)) as Record<string, unknown>;
      conn.frames.push(f);
      this.handle(conn, f);
    });
  }

  private handle(conn: Conn, f: Record<string, unknown>): void {
    const send = (x: unknown) => conn.ws.readyState === 1 && conn.ws.send(JSON.stringify(x));
    if (conn.token === null && f.op !== "auth") return conn.ws.close(4401, "auth first");
    switch (f.op) {
      case "auth":
        if (this.badTokens.has(String(f.token))) return conn.ws.close(4401, "bad token");
        if (conn.token !== null) {
          // A fresh token on the open socket, as the server answers it.
          conn.token = String(f.token);
          return void send({ t: "authed", user_id: "u1", session_id: `s${conn.n}`, expires_at: 0 });
        }
        conn.token = String(f.token);
        return void send({ t: "ready", user_id: "u1", session_id: `s${conn.n}` });
      case "sub":
        for (const { room, since } of f.rooms as Array<{ room: string; since: number }>) {
          if (this.ignoreResub && conn.subs.has(room)) continue;
          for (const e of this.log.get(room) ?? []) if ((e.seq as number) > since) send(e);
          conn.subs.add(room);
        }
        return;
      case "unsub":
        for (const room of f.rooms as string[]) conn.subs.delete(room);
        return;
      case "send": {
        if (this.stallSends) return;
        const clientId = String(f.client_id);
        let ack = this.acks.get(clientId);
        if (!ack) {
          const seq = this.publish(String(f.room), "msg", { client_id: clientId, body: f.body });
          ack = { seq, id: String(this.ids - 1) };
          this.acks.set(clientId, ack);
          if (this.onCommit(conn, clientId) === "cut") return conn.ws.terminate();
        }
        return void send({ t: "ack", client_id: clientId, ...ack });
      }
      case "ping":
        if (!this.ignorePings) send({ t: "pong", id: f.id });
        return;
      default:
        return;
    }
  }
}

/** Resolves when `pred` holds (checked every 5 ms), rejects after `ms`. */
export async function until(pred: () => boolean, ms = 3000, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
