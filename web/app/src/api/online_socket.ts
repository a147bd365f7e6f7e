// A WebSocket for the SDK that follows the browser's online/offline events. Browsers notice a
// dead socket only after long TCP timeouts (and the SDK's heartbeat after ~35 s); when the
// browser says the network is gone, this closes the socket at once (the SDK reconnects and
// resumes from its last seq), and a socket asked for while offline waits for the network.

import type { WebSocketLike } from "@parley/sdk";

const CONNECTING = 0;
const CLOSED = 3;
const OFFLINE_RETRY_MS = 20_000;
const live = new Set<OnlineAwareWebSocket>();

window.addEventListener("offline", () => {
  for (const s of [...live]) s.cut("offline");
});

export class OnlineAwareWebSocket implements WebSocketLike {
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: unknown) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;

  private ws: WebSocket | null = null;
  private done = false;
  private fallback: ReturnType<typeof setTimeout> | undefined;
  private readonly startWhenOnline = (): void => this.start();

  constructor(private readonly url: string) {
    live.add(this);
    if (navigator.onLine) {
      this.start();
    } else {
      window.addEventListener("online", this.startWhenOnline, { once: true });
      // navigator.onLine can be wrong (it only knows about network interfaces): try anyway, later.
      this.fallback = setTimeout(this.startWhenOnline, OFFLINE_RETRY_MS);
    }
  }

  get readyState(): number {
    if (this.done) return CLOSED;
    return this.ws ? this.ws.readyState : CONNECTING;
  }

  send(data: string): void {
    if (!this.ws) throw new Error("not connected");
    this.ws.send(data);
  }

  close(code?: number, reason?: string): void {
    if (this.done) return;
    this.finish();
    const ws = this.ws;
    if (ws) {
      try {
        ws.close(code, reason);
      } catch {
        ws.close();
      }
    }
  }

  /** The network is gone: drop the socket without a closing handshake and report it as lost. */
  cut(reason: string): void {
    if (this.done) return;
    const ws = this.ws;
    this.finish();
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      try {
        ws.close(4000, reason);
      } catch {
        // closing already
      }
    }
    const onclose = this.onclose;
    setTimeout(() => onclose?.({ code: 1006, reason }), 0);
  }

  private start(): void {
    window.removeEventListener("online", this.startWhenOnline);
    clearTimeout(this.fallback);
    if (this.done || this.ws) return;
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = (e) => this.onopen?.(e);
    ws.onmessage = (e) => this.onmessage?.(e);
    ws.onerror = (e) => this.onerror?.(e);
    ws.onclose = (e) => {
      this.finish();
      this.onclose?.(e);
    };
  }

  private finish(): void {
    this.done = true;
    live.delete(this);
    window.removeEventListener("online", this.startWhenOnline);
    clearTimeout(this.fallback);
  }
}
