// Messages: list (both directions, cursors), send (idempotent client_id), edit, delete, view-once.

import type { Http } from "../http.js";
import { seg } from "../http.js";
import { ParleyError } from "../errors.js";
import { newClientId } from "../ids.js";
import type { Id, Message, Page, SendOptions } from "../types.js";

export interface MessageQuery {
  /** Messages with seq < before, newest first. */
  before?: number;
  /** Messages with seq > after, oldest first. */
  after?: number;
  limit?: number;
  /** The `next` of the previous page (same direction). */
  cursor?: string;
}

export type SendInput = SendOptions & {
  /** Reuse to make a retried send idempotent; generated when absent. */
  client_id?: string;
};

export class MessagesApi {
  constructor(private readonly http: Http) {}

  /** With neither `before` nor `after`: the newest page, newest first. */
  list(roomId: Id, q: MessageQuery = {}): Promise<Page<Message>> {
    if (q.before !== undefined && q.after !== undefined) {
      throw new TypeError("messages.list: give `before` or `after`, not both");
    }
    return this.http.request("GET", `/v1/rooms/${seg(roomId)}/messages`, {
      query: { before: q.before, after: q.after, limit: q.limit, cursor: q.cursor },
    });
  }

  /**
   * Sends a message. A retry with the same `client_id` returns the original message instead of a
   * second one, so on a network error call again with `message.client_id` of the first try:
   * `send(room, { ...input, client_id })`. Network errors and 502/503/504 are retried here
   * (`retries`, default 2) with the same client_id.
   */
  async send(roomId: Id, input: SendInput, opts: { retries?: number } = {}): Promise<Message> {
    const body = { ...input, client_id: input.client_id ?? newClientId() };
    const retries = opts.retries ?? 2;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.http.request<Message>("POST", `/v1/rooms/${seg(roomId)}/messages`, { body });
      } catch (e) {
        // Safe to repeat: the server answers a known client_id with the original message.
        if (attempt >= retries || !isTransient(e)) throw e;
        await sleep(300 * 2 ** attempt);
      }
    }
  }

  /** Sender only. */
  edit(messageId: Id, body: string): Promise<Message> {
    return this.http.request("PATCH", `/v1/messages/${seg(messageId)}`, { body: { body } });
  }

  /** Sender or room admin; the message stays as a tombstone. */
  delete(messageId: Id): Promise<void> {
    return this.http.request("DELETE", `/v1/messages/${seg(messageId)}`);
  }

  /** A view-once message's content, exactly once (again: 410 `view_once_consumed`). */
  view(messageId: Id): Promise<Message> {
    return this.http.request("POST", `/v1/messages/${seg(messageId)}/view`);
  }
}

function isTransient(e: unknown): boolean {
  return e instanceof ParleyError && (e.code === "network_error" || e.status === 502 || e.status === 503 || e.status === 504);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
