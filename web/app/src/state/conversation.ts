// One room's conversation: its messages (newest page first, older pages on demand), the live
// events applied in place (new, edited, deleted), the sends waiting for their ack, and who is
// typing. Kept per room while the app runs, so going back to a room is instant.

import { signal, type Signal } from "@preact/signals";
import type { Id, Message, RoomEventFrame } from "@parley/sdk";
import { newClientId } from "@parley/sdk";
import { parley, rt } from "../api/client";
import { me } from "./session";

export interface Pending {
  client_id: string;
  body: string;
  reply_to: Id | null;
  created_at: string;
  state: "sending" | "sent" | "failed";
  error?: unknown;
}

export interface Conversation {
  roomId: Id;
  /** Oldest first. */
  messages: Signal<Message[]>;
  pending: Signal<Pending[]>;
  loaded: Signal<boolean>;
  hasOlder: Signal<boolean>;
  loadingOlder: Signal<boolean>;
  error: Signal<unknown>;
  /** user id → when the typing signal runs out (ms). */
  typing: Signal<ReadonlyMap<Id, number>>;
}

const PAGE = 40;
const TYPING_MS = 6000;
const convs = new Map<Id, Conversation>();
const byId = new Map<Id, Map<Id, Message>>();

export function conversation(roomId: Id): Conversation {
  let c = convs.get(roomId);
  if (!c) {
    c = {
      roomId,
      messages: signal([]),
      pending: signal([]),
      loaded: signal(false),
      hasOlder: signal(true),
      loadingOlder: signal(false),
      error: signal(null),
      typing: signal(new Map()),
    };
    convs.set(roomId, c);
    byId.set(roomId, new Map());
    void loadLatest(c);
  }
  return c;
}

/** Stores messages (from a page or an event); a page never undoes a newer edit or a delete. */
function upsert(c: Conversation, list: Message[], fromEvent: boolean): void {
  const map = byId.get(c.roomId)!;
  for (const m of list) {
    const old = map.get(m.id);
    if (old && !fromEvent && (old.deleted || (old.edited_at ?? "") > (m.edited_at ?? ""))) continue;
    map.set(m.id, m);
  }
  c.messages.value = [...map.values()].sort((a, b) => a.seq - b.seq);
  const mine = new Set(list.filter((m) => m.sender_id === me.value?.id).map((m) => m.client_id));
  if (mine.size) c.pending.value = c.pending.value.filter((p) => !mine.has(p.client_id));
}

async function loadLatest(c: Conversation): Promise<void> {
  try {
    const page = await parley.messages.list(c.roomId, { limit: PAGE });
    upsert(c, page.items, false);
    c.hasOlder.value = page.next !== null;
    c.loaded.value = true;
    c.error.value = null;
  } catch (e) {
    c.error.value = e;
  }
}

export async function retryLoad(c: Conversation): Promise<void> {
  c.error.value = null;
  await loadLatest(c);
}

/** The page before the oldest message shown. */
export async function loadOlder(c: Conversation): Promise<void> {
  if (c.loadingOlder.value || !c.hasOlder.value || !c.loaded.value) return;
  const oldest = c.messages.value[0];
  if (!oldest) {
    c.hasOlder.value = false;
    return;
  }
  c.loadingOlder.value = true;
  try {
    const page = await parley.messages.list(c.roomId, { before: oldest.seq, limit: PAGE });
    upsert(c, page.items, false);
    c.hasOlder.value = page.next !== null;
  } catch (e) {
    c.error.value = e;
  } finally {
    c.loadingOlder.value = false;
  }
}

export function findMessage(roomId: Id, id: Id): Message | undefined {
  return byId.get(roomId)?.get(id);
}

/** Sends over the WebSocket: shown at once as pending, sent again after reconnects until acked. */
export function send(c: Conversation, body: string, replyTo: Id | null, clientId = newClientId()): void {
  const p: Pending = { client_id: clientId, body, reply_to: replyTo, created_at: new Date().toISOString(), state: "sending" };
  c.pending.value = [...c.pending.value.filter((x) => x.client_id !== clientId), p];
  const content = replyTo ? { body, reply_to: replyTo } : { body };
  rt.send(c.roomId, content, { clientId }).then(
    () => setPending(c, clientId, { state: "sent" }),
    (error: unknown) => setPending(c, clientId, { state: "failed", error }),
  );
}

export function retrySend(c: Conversation, p: Pending): void {
  send(c, p.body, p.reply_to, p.client_id);
}

export function discardPending(c: Conversation, clientId: string): void {
  c.pending.value = c.pending.value.filter((p) => p.client_id !== clientId);
}

function setPending(c: Conversation, clientId: string, patch: Partial<Pending>): void {
  // Already replaced by the stored message? Then nothing is left to update.
  c.pending.value = c.pending.value.map((p) => (p.client_id === clientId ? { ...p, ...patch } : p));
}

export async function editMessage(c: Conversation, id: Id, body: string): Promise<void> {
  const m = await parley.messages.edit(id, body);
  upsert(c, [m], true);
}

export async function deleteMessage(c: Conversation, id: Id): Promise<void> {
  await parley.messages.delete(id);
  const old = findMessage(c.roomId, id);
  if (old) upsert(c, [{ ...old, deleted: true, body: undefined }], true);
}

function onEvent(f: RoomEventFrame): void {
  const c = convs.get(f.room);
  if (!c) return;
  upsert(c, [f.message], true);
  if (f.t === "msg" && f.message.sender_id && c.typing.value.has(f.message.sender_id)) {
    const next = new Map(c.typing.value);
    next.delete(f.message.sender_id);
    c.typing.value = next;
  }
}

function onTyping(room: Id, userId: Id): void {
  const c = convs.get(room);
  if (!c || userId === me.value?.id) return;
  const next = new Map(c.typing.value);
  next.set(userId, Date.now() + TYPING_MS);
  c.typing.value = next;
  setTimeout(() => expireTyping(c), TYPING_MS + 50);
}

function expireTyping(c: Conversation): void {
  const now = Date.now();
  const next = new Map([...c.typing.value].filter(([, until]) => until > now));
  if (next.size !== c.typing.value.size) c.typing.value = next;
}

const unhook: Array<() => void> = [];

export function startConversations(): void {
  unhook.push(
    rt.on("event", onEvent),
    rt.on("typing", (f) => onTyping(f.room, f.user_id)),
  );
}

export function stopConversations(): void {
  for (const f of unhook.splice(0)) f();
  convs.clear();
  byId.clear();
}
