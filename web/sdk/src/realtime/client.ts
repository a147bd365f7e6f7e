// The real-time client of /v1/ws: one socket, authenticated by its first frame; subscriptions
// that resume from the last seq after any reconnect (every event once, in order); sends retried
// across reconnects until acknowledged (same client_id, deduplicated by the server); reconnects
// with capped exponential backoff and full jitter; heartbeats; close codes acted upon.

import { Backoff, type BackoffOptions } from "../backoff.js";
import { systemClock, type Clock, type TimerHandle } from "../clock.js";
import { Emitter } from "../emitter.js";
import { ParleyError } from "../errors.js";
import { CLIENT_ID_PATTERN, newClientId } from "../ids.js";
import type { Id, SendOptions } from "../types.js";
import {
  CloseCode,
  parseServerFrame,
  type ClientFrame,
  type DeliveredFrame,
  type ErrorFrame,
  type PresenceFrame,
  type AddedFrame,
  type ReadFrame,
  type ReadyFrame,
  type RoomEventFrame,
  type ServerFrame,
  type TypingFrame,
} from "./frames.js";
import { Heartbeat } from "./heartbeat.js";
import { Outbox, type Ack } from "./outbox.js";
import { SeqTracker } from "./seq_tracker.js";
import { TypingThrottle } from "./typing_throttle.js";

export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed";

/** What the SDK needs of a WebSocket: the browser's, Node 22's global one, or npm `ws`. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the DOM and ws event types differ
  onopen: ((ev: any) => void) | null;
  onmessage: ((ev: any) => void) | null; // ev.data: the text of the frame
  onclose: ((ev: any) => void) | null; // ev.code, ev.reason
  onerror: ((ev: any) => void) | null;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

const WS_OPEN = 1;
const SUB_BATCH = 50;

export interface RealtimeOptions {
  /** ws:// or wss:// URL of /v1/ws. */
  url: string;
  /** Defaults to globalThis.WebSocket (browsers, Node 22+); on Node 18/20 pass npm `ws`. */
  WebSocket?: WebSocketConstructor;
  /** A valid access token, or null when signed out. */
  getToken: () => Promise<string | null>;
  /** After close 4401: refresh the token that was refused. Throw a 401/400 ParleyError when signed out. */
  refreshToken: (refusedToken: string) => Promise<unknown>;
  backoff?: BackoffOptions;
  /** Ping after this long without any frame. Default 25 s. */
  pingIntervalMs?: number;
  /** No frame at all this long after a ping: the socket is dead. Default 10 s. */
  pongTimeoutMs?: number;
  /** From opening the socket to the `ready` frame. Default 10 s. */
  readyTimeoutMs?: number;
  /** At most one typing signal per room per this long. Default 3 s. */
  typingIntervalMs?: number;
  /** A room still behind this long after a gap re-subscription asks again. Default 5 s. */
  resyncRetryMs?: number;
  /** A connection that stayed open this long resets the backoff when it ends. Default 10 s. */
  stableAfterMs?: number;
  clock?: Clock;
}

export interface StateChange {
  state: ConnectionState;
  previous: ConnectionState;
}

export interface RetryInfo {
  /** 1 for the first retry since the last stable connection. */
  attempt: number;
  delayMs: number;
  /** The close code that ended the previous socket (1006 when it just died). */
  code: number;
}

export interface RoomClosed {
  room: Id;
  code: string;
  detail: string;
}

export interface RealtimeEvents {
  state: StateChange;
  retry: RetryInfo;
  ready: ReadyFrame;
  msg: RoomEventFrame<"msg">;
  edit: RoomEventFrame<"edit">;
  delete: RoomEventFrame<"delete">;
  /** msg, edit and delete alike, in seq order. */
  event: RoomEventFrame;
  typing: TypingFrame;
  read: ReadFrame;
  delivered: DeliveredFrame;
  presence: PresenceFrame;
  /** The user became a member of a room (on any device): fetch it with rooms.get(room). */
  added: AddedFrame;
  /** A refused frame (server error frame), or why the client stopped (`unauthenticated`, `forbidden`). */
  error: ErrorFrame;
  /** The client stopped following a room (the server refused it: 4403 / forbidden / not_found;
   * or ended it: `removed`, the user left or was removed). */
  roomClosed: RoomClosed;
}

export class RealtimeClient {
  private readonly events = new Emitter<RealtimeEvents>();
  private readonly clock: Clock;
  private readonly backoff: Backoff;
  private readonly tracker: SeqTracker;
  private readonly outbox: Outbox;
  private readonly throttle: TypingThrottle;
  private readonly heartbeat: Heartbeat;
  private readonly WS: WebSocketConstructor;

  private currentState: ConnectionState = "closed";
  private ws: WebSocketLike | null = null;
  private gen = 0; // bumped by every connect attempt and close(): stale async work checks it
  private wanted = false; // connect() called and neither close() nor a fatal stop since
  private ended = false; // close() or a fatal stop: sends are refused until connect()
  private reconnectTimer: TimerHandle | undefined;
  private readyTimer: TimerHandle | undefined;
  private openedAt: number | null = null;
  private authFailures = 0;
  private tokenUsed: string | null = null;
  private readonly markers = new Map<string, ClientFrame>(); // read/delivered waiting for a socket
  private readonly resyncTimers = new Map<Id, TimerHandle>(); // rooms behind a gap, checked again later
  private me: ReadyFrame | null = null;

  constructor(private readonly opts: RealtimeOptions) {
    const WS = opts.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!WS) {
      throw new TypeError("RealtimeClient: no WebSocket here (Node < 22): pass one, e.g. `import WebSocket from \"ws\"` and { WebSocket }");
    }
    this.WS = WS;
    this.clock = opts.clock ?? systemClock;
    this.backoff = new Backoff(opts.backoff);
    this.tracker = new SeqTracker(opts.resyncRetryMs ?? 5_000);
    this.outbox = new Outbox(this.clock);
    this.throttle = new TypingThrottle(opts.typingIntervalMs ?? 3_000);
    this.heartbeat = new Heartbeat(
      this.clock,
      opts.pingIntervalMs ?? 25_000,
      opts.pongTimeoutMs ?? 10_000,
      (id) => this.rawSend({ op: "ping", id }),
      () => this.drop("no frame after a ping"),
    );
  }

  // ---- public API ----------------------------------------------------------------------------

  get state(): ConnectionState {
    return this.currentState;
  }

  /** The `ready` frame of the current connection (user_id, session_id), null before it. */
  get session(): ReadyFrame | null {
    return this.me;
  }

  on<K extends keyof RealtimeEvents>(name: K, fn: (payload: RealtimeEvents[K]) => void): () => void {
    return this.events.on(name, fn);
  }

  once<K extends keyof RealtimeEvents>(name: K, fn: (payload: RealtimeEvents[K]) => void): () => void {
    return this.events.once(name, fn);
  }

  off<K extends keyof RealtimeEvents>(name: K, fn: (payload: RealtimeEvents[K]) => void): void {
    this.events.off(name, fn);
  }

  /** Opens the connection (and keeps it open until close()). */
  connect(): void {
    if (this.wanted) return;
    this.wanted = true;
    this.ended = false;
    this.backoff.reset();
    void this.open("connecting");
  }

  /**
   * A fresh access token of the same session (after a refresh): sent on the open socket, which the
   * server would otherwise close with 4401 at the old token's expiry. The server answers `authed`.
   * Not open: nothing to do (the next connection asks getToken()).
   */
  useToken(token: string): void {
    if (this.currentState !== "open" || token === this.tokenUsed) return;
    if (this.rawSend({ op: "auth", token })) this.tokenUsed = token;
  }

  /** Closes for good: no reconnect; pending sends are rejected with `closed`. */
  close(): void {
    this.stop("closed", "the client was closed");
  }

  /**
   * Follows `room`: every event with seq > `since` (default 0: the whole history; pass the room's
   * `last_seq` for new events only), then live ones, each once and in order, across reconnects.
   * A room already followed keeps its position.
   */
  subscribe(room: Id, opts: { since?: number } = {}): void {
    if (this.tracker.has(room)) return;
    const since = opts.since ?? 0;
    this.tracker.track(room, since);
    if (this.currentState === "open") {
      this.tracker.subscribed(room);
      this.sendSub([{ room, since }]);
    }
  }

  unsubscribe(room: Id): void {
    if (!this.tracker.has(room)) return;
    this.tracker.untrack(room);
    this.throttle.forget(room);
    if (this.currentState === "open") this.rawSend({ op: "unsub", rooms: [room] });
  }

  /** The last seq delivered to the app for `room` (where a resume starts), undefined if not followed. */
  lastSeq(room: Id): number | undefined {
    return this.tracker.since(room);
  }

  /** Rooms followed, with their last delivered seq. */
  subscriptions(): Array<{ room: Id; since: number }> {
    return this.tracker.rooms();
  }

  /**
   * Sends a message; resolves with the ack once the server has it durably. Until then it is sent
   * again after every reconnect with the same client_id. Rejects on an error frame for it, on
   * `timeoutMs` (none by default), or when the client closes.
   */
  send(room: Id, content: SendOptions, opts: { clientId?: string; timeoutMs?: number } = {}): Promise<Ack> {
    if (this.ended) return Promise.reject(ParleyError.local("closed", "the real-time client is closed"));
    const clientId = opts.clientId ?? newClientId(this.clock.now());
    if (!CLIENT_ID_PATTERN.test(clientId)) {
      return Promise.reject(new ParleyError({ status: 0, code: "validation_failed", detail: "bad client_id", fields: { client_id: "1..64 of [A-Za-z0-9._:-]" } }));
    }
    const frame = { ...content, op: "send" as const, room, client_id: clientId } as ClientFrame & { op: "send" };
    const acked = this.outbox.add(frame, opts.timeoutMs);
    if (this.currentState === "open") this.rawSend(frame);
    return acked;
  }

  /** Sends a typing signal, at most one per room per 3 s; false when throttled or not connected. */
  typing(room: Id): boolean {
    if (this.currentState !== "open") return false;
    if (!this.throttle.allow(room, this.clock.now())) return false;
    return this.rawSend({ op: "typing", room });
  }

  /** Moves the read marker (sent now, or at the next connection). */
  read(room: Id, seq: number): void {
    this.marker({ op: "read", room, seq });
  }

  /** Moves the delivered marker (sent now, or at the next connection). */
  delivered(room: Id, seq: number): void {
    this.marker({ op: "delivered", room, seq });
  }

  // ---- connection lifecycle ------------------------------------------------------------------

  private async open(state: "connecting" | "reconnecting"): Promise<void> {
    const gen = ++this.gen;
    this.setState(state);
    let token: string | null;
    try {
      token = await this.opts.getToken();
    } catch (e) {
      if (gen !== this.gen) return;
      if (isSignedOut(e)) return this.stop("unauthenticated", "signed out: the session could not be refreshed");
      return this.retry(CloseCode.abnormal);
    }
    if (gen !== this.gen) return;
    if (token === null) return this.stop("unauthenticated", "not signed in");
    let ws: WebSocketLike;
    try {
      ws = new this.WS(this.opts.url);
    } catch {
      return this.retry(CloseCode.abnormal);
    }
    this.ws = ws;
    this.tokenUsed = token;
    ws.onopen = () => {
      if (this.ws === ws) this.rawSend({ op: "auth", token: token as string });
    };
    ws.onmessage = (ev: { data: unknown }) => {
      if (this.ws === ws) this.onFrame(ev.data);
    };
    ws.onclose = (ev: { code: number; reason?: string }) => {
      if (this.ws === ws) this.lost(ev.code, ev.reason ?? "");
    };
    ws.onerror = () => {
      // a close event follows
    };
    this.readyTimer = this.clock.setTimeout(() => {
      this.readyTimer = undefined;
      if (this.ws === ws) this.drop("no ready frame in time");
    }, this.opts.readyTimeoutMs ?? 10_000);
  }

  /** Abandons the current socket as dead and goes on as if the network had cut it. */
  private drop(reason: string): void {
    const ws = this.ws;
    if (!ws) return;
    this.ws = null;
    try {
      ws.close(CloseCode.clientDead, reason);
    } catch {
      // already closing
    }
    this.lost(CloseCode.abnormal, reason);
  }

  /** The socket ended (close event, or dropped by us). Decides what comes next from the code. */
  private lost(code: number, reason: string): void {
    this.ws = null;
    this.me = null;
    this.heartbeat.stop();
    this.clearResyncTimers();
    this.clearTimer("readyTimer");
    const now = this.clock.now();
    if (this.openedAt !== null && now - this.openedAt >= (this.opts.stableAfterMs ?? 10_000)) this.backoff.reset();
    this.openedAt = null;
    if (!this.wanted) return this.setState("closed");
    switch (code) {
      case CloseCode.unauthenticated:
        void this.reauthenticate();
        return;
      case CloseCode.forbidden: {
        const room = this.roomOf(reason);
        if (room === undefined) return this.stop("forbidden", reason || "the server refused this connection (4403)");
        this.stopRoom(room, "forbidden", reason);
        return this.retry(code);
      }
      case CloseCode.rateLimited:
        return this.retry(code, true);
      default:
        return this.retry(code);
    }
  }

  /** After 4401: refresh the refused token, then reconnect (at once the first time). */
  private async reauthenticate(): Promise<void> {
    const gen = this.gen;
    this.authFailures++;
    this.setState("reconnecting");
    try {
      await this.opts.refreshToken(this.tokenUsed ?? "");
    } catch (e) {
      if (gen !== this.gen || !this.wanted) return;
      if (isSignedOut(e)) return this.stop("unauthenticated", "signed out: the session could not be refreshed");
      return this.retry(CloseCode.unauthenticated);
    }
    if (gen !== this.gen || !this.wanted) return;
    if (this.authFailures <= 1) return this.retry(CloseCode.unauthenticated, false, 0);
    this.retry(CloseCode.unauthenticated);
  }

  private retry(code: number, rateLimited = false, delayMs?: number): void {
    if (!this.wanted) return;
    const delay = delayMs ?? this.backoff.next(rateLimited);
    this.setState("reconnecting");
    this.events.emit("retry", { attempt: Math.max(1, this.backoff.attempts), delayMs: delay, code });
    this.clearTimer("reconnectTimer");
    this.reconnectTimer = this.clock.setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.wanted) void this.open("reconnecting");
    }, delay, true); // a connection the app asked for keeps a Node process alive, as its socket does
  }

  /** Stops for good: on close(), or when going on cannot succeed (signed out, forbidden). */
  private stop(code: string, detail: string): void {
    const wasWanted = this.wanted;
    this.wanted = false;
    this.ended = true;
    this.gen++;
    this.clearTimer("reconnectTimer");
    this.clearTimer("readyTimer");
    this.heartbeat.stop();
    this.clearResyncTimers();
    const ws = this.ws;
    this.ws = null;
    this.me = null;
    this.openedAt = null;
    if (ws) {
      try {
        ws.close(CloseCode.normal, code === "closed" ? "" : code);
      } catch {
        // already closing
      }
    }
    if (code !== "closed" && wasWanted) this.events.emit("error", { t: "error", code, detail });
    this.outbox.failAll(ParleyError.local(code, detail));
    this.setState("closed");
  }

  // ---- frames --------------------------------------------------------------------------------

  private onFrame(data: unknown): void {
    const f = parseServerFrame(data);
    if (!f) return;
    this.heartbeat.seen();
    switch (f.t) {
      case "ready":
        return this.onReady(f);
      case "msg":
      case "edit":
      case "delete":
        return this.onRoomEvent(f);
      case "ack":
        this.outbox.ack(f);
        return;
      case "error":
        return this.onErrorFrame(f);
      case "typing":
      case "read":
      case "delivered":
      case "presence":
      case "added":
        this.events.emit(f.t, f as never);
        return;
      case "unsubscribed":
        // Left or removed: the room is no longer followed, and resumes would be refused.
        if (this.tracker.has(f.room)) this.stopRoom(f.room, f.reason || "removed", "the subscription ended");
        return;
      default:
        return; // pong, and frames this SDK version does not know
    }
  }

  private onReady(f: ReadyFrame): void {
    this.clearTimer("readyTimer");
    this.me = f;
    this.openedAt = this.clock.now();
    this.authFailures = 0;
    // Resume: every followed room from its last delivered seq, then the unacknowledged sends
    // (same client_id: the server answers a known one with the original), then the markers.
    const rooms = this.tracker.rooms();
    for (const r of rooms) this.tracker.subscribed(r.room);
    this.sendSub(rooms);
    for (const frame of this.outbox.frames()) this.rawSend(frame);
    for (const frame of this.markers.values()) this.rawSend(frame);
    this.markers.clear();
    this.heartbeat.start();
    this.setState("open");
    this.events.emit("ready", f);
  }

  private onRoomEvent(f: ServerFrame & RoomEventFrame): void {
    const verdict = this.tracker.accept(f.room, f.seq, this.clock.now());
    if (verdict === "deliver") {
      this.events.emit(f.t, f as never);
      this.events.emit("event", f);
    } else if (verdict === "resubscribe") {
      const since = this.tracker.since(f.room);
      if (since !== undefined) this.sendSub([{ room: f.room, since }]);
      this.armResync(f.room);
    }
  }

  /**
   * A room still behind its gap after resyncRetryMs (a replay that never came, e.g. a server that
   * ignores a `sub` for a room already subscribed) is unsubscribed and subscribed again.
   */
  private armResync(room: Id): void {
    if (this.resyncTimers.has(room)) return;
    const timer = this.clock.setTimeout(() => {
      this.resyncTimers.delete(room);
      const since = this.tracker.since(room);
      if (since === undefined || !this.tracker.isResyncing(room) || this.currentState !== "open") return;
      this.tracker.resyncAsked(room, this.clock.now());
      this.rawSend({ op: "unsub", rooms: [room] });
      this.sendSub([{ room, since }]);
      this.armResync(room);
    }, this.opts.resyncRetryMs ?? 5_000);
    this.resyncTimers.set(room, timer);
  }

  private clearResyncTimers(): void {
    for (const t of this.resyncTimers.values()) this.clock.clearTimeout(t);
    this.resyncTimers.clear();
  }

  private onErrorFrame(f: ErrorFrame): void {
    const ref = f.client_id ?? f.ref;
    if (ref !== undefined && this.outbox.has(ref)) {
      this.outbox.fail(ref, new ParleyError({ status: 0, code: f.code, detail: f.detail ?? f.code, fields: f.fields }));
    }
    const room = f.room ?? (ref !== undefined && this.tracker.has(ref) ? ref : undefined);
    if (room !== undefined && (f.code === "forbidden" || f.code === "not_found") && this.tracker.has(room)) {
      this.stopRoom(room, f.code, f.detail ?? f.code);
    }
    this.events.emit("error", f);
  }

  private stopRoom(room: Id, code: string, detail: string): void {
    this.tracker.untrack(room);
    this.throttle.forget(room);
    this.events.emit("roomClosed", { room, code, detail });
  }

  /** The room a 4403 close names in its reason: the room id itself, or JSON with `room`. */
  private roomOf(reason: string): Id | undefined {
    const r = reason.trim();
    if (this.tracker.has(r)) return r;
    try {
      const v = JSON.parse(r) as { room?: unknown };
      if (typeof v?.room === "string" && this.tracker.has(v.room)) return v.room;
    } catch {
      // not JSON
    }
    return undefined;
  }

  // ---- helpers -------------------------------------------------------------------------------

  private sendSub(rooms: Array<{ room: Id; since: number }>): void {
    for (let i = 0; i < rooms.length; i += SUB_BATCH) {
      this.rawSend({ op: "sub", rooms: rooms.slice(i, i + SUB_BATCH) });
    }
  }

  private marker(frame: ClientFrame & { op: "read" | "delivered" }): void {
    if (this.currentState === "open" && this.rawSend(frame)) return;
    const key = `${frame.op}:${frame.room}`;
    const queued = this.markers.get(key) as { seq: number } | undefined;
    if (!queued || queued.seq < frame.seq) this.markers.set(key, frame);
  }

  private rawSend(frame: ClientFrame): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== WS_OPEN) return false;
    try {
      ws.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  private setState(state: ConnectionState): void {
    const previous = this.currentState;
    if (previous === state) return;
    this.currentState = state;
    this.events.emit("state", { state, previous });
  }

  private clearTimer(which: "reconnectTimer" | "readyTimer"): void {
    const t = this[which];
    if (t !== undefined) this.clock.clearTimeout(t);
    this[which] = undefined;
  }
}

function isSignedOut(e: unknown): boolean {
  return e instanceof ParleyError && (e.status === 401 || e.status === 400 || e.code === "unauthenticated");
}
