// The room list: every room of the caller, ordered by activity, kept current by the real-time
// events (new messages move a room up and count as unread; "added" brings a room opened with me
// or that I was added to), and by reloading the list when the connection is (re)established and
// every little while as a safety net. Every room is followed on the WebSocket from its last_seq.

import { computed, signal } from "@preact/signals";
import type { Id, Message, Room, RoomEventFrame } from "@parley/sdk";
import { parley, rt } from "../api/client";
import { me } from "./session";

export const roomMap = signal<ReadonlyMap<Id, Room>>(new Map());
export const roomsLoaded = signal(false);
export const roomsError = signal<unknown>(null);
/** The room on screen (its new messages are read, not unread). */
export const activeRoomId = signal<Id | null>(null);

/** Ids are time-ordered 64-bit decimals: a longer one is larger, else compare the digits. */
function compareIds(a: Id, b: Id): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

/** As the server orders the list: by the id of the newest message, or the room's own id. */
export const roomList = computed<Room[]>(() =>
  [...roomMap.value.values()].sort((a, b) => compareIds(b.last_message?.id ?? b.id, a.last_message?.id ?? a.id) || compareIds(b.id, a.id)),
);

export const totalUnread = computed(() => roomList.value.reduce((n, r) => n + (r.unread > 0 ? 1 : 0), 0));

function setRooms(next: Map<Id, Room>): void {
  roomMap.value = next;
}

export function updateRoom(id: Id, fn: (r: Room) => Room): void {
  const r = roomMap.value.get(id);
  if (!r) return;
  const next = new Map(roomMap.value);
  next.set(id, fn(r));
  setRooms(next);
}

/** A room from a create, join or get: shown and followed. */
export function addRoom(room: Room): void {
  const next = new Map(roomMap.value);
  next.set(room.id, room);
  setRooms(next);
  rt.subscribe(room.id, { since: room.last_seq });
}

export function removeRoom(id: Id): void {
  if (!roomMap.value.has(id)) return;
  const next = new Map(roomMap.value);
  next.delete(id);
  setRooms(next);
  rt.unsubscribe(id);
}

let loading: Promise<void> | null = null;

/** Loads every page of GET /v1/rooms; follows new rooms, forgets rooms left. */
export function loadRooms(): Promise<void> {
  loading ??= (async () => {
    try {
      const next = new Map<Id, Room>();
      for await (const room of parley.rooms.all()) next.set(room.id, room);
      for (const r of next.values()) {
        const known = roomMap.value.get(r.id);
        // A room we follow may be ahead of the list (events that came during the request).
        if (known && known.last_seq > r.last_seq) next.set(r.id, { ...r, last_seq: known.last_seq, last_message: known.last_message, unread: known.unread, last_activity_at: known.last_activity_at });
        if (r.id === activeRoomId.value) next.set(r.id, { ...next.get(r.id)!, unread: 0 });
        rt.subscribe(r.id, { since: r.last_seq });
      }
      for (const id of roomMap.value.keys()) if (!next.has(id)) rt.unsubscribe(id);
      setRooms(next);
      roomsError.value = null;
      roomsLoaded.value = true;
    } catch (e) {
      roomsError.value = e;
    } finally {
      loading = null;
    }
  })();
  return loading;
}

function onEvent(f: RoomEventFrame): void {
  const self = me.value?.id;
  updateRoom(f.room, (r) => {
    const m: Message = f.message;
    const out: Room = { ...r, last_seq: Math.max(r.last_seq, f.seq) };
    if (f.t === "msg") {
      out.last_message = m;
      out.last_activity_at = m.created_at;
      const mine = m.sender_id === self;
      const seen = activeRoomId.value === r.id && document.visibilityState === "visible";
      if (!mine && !seen) out.unread = r.unread + 1;
      if (mine) out.unread = 0;
    } else if (r.last_message && r.last_message.id === m.id) {
      out.last_message = m;
    }
    return out;
  });
  if (f.t === "msg" && f.message.sender_id !== self) rt.delivered(f.room, f.seq);
}

function onMarker(kind: "read_seq" | "delivered_seq", room: Id, userId: Id, seq: number): void {
  updateRoom(room, (r) => {
    const members = r.members.map((m) => {
      if (m.user_id !== userId) return m;
      const cur = (m[kind] as number | undefined) ?? 0;
      return seq > cur ? { ...m, [kind]: seq } : m;
    });
    const mineRead = kind === "read_seq" && userId === me.value?.id && seq >= (r.last_message?.seq ?? 0);
    return { ...r, members, unread: mineRead ? 0 : r.unread };
  });
}

let poll: ReturnType<typeof setInterval> | undefined;
const unhook: Array<() => void> = [];

export function startRooms(): void {
  unhook.push(
    rt.on("event", onEvent),
    rt.on("read", (f) => onMarker("read_seq", f.room, f.user_id, f.seq)),
    rt.on("delivered", (f) => onMarker("delivered_seq", f.room, f.user_id, f.seq)),
    rt.on("ready", () => void loadRooms()),
    rt.on("roomClosed", (f) => removeRoom(f.room)),
    rt.on("added", (f) => {
      parley.rooms.get(f.room).then(addRoom, () => void loadRooms());
    }),
  );
  void loadRooms().then(() => rt.connect());
  poll = setInterval(() => {
    if (rt.state === "open" && document.visibilityState === "visible") void loadRooms();
  }, 30_000);
  window.addEventListener("focus", onFocus);
}

function onFocus(): void {
  if (rt.state === "open") void loadRooms();
}

export function stopRooms(): void {
  for (const f of unhook.splice(0)) f();
  clearInterval(poll);
  window.removeEventListener("focus", onFocus);
  for (const s of rt.subscriptions()) rt.unsubscribe(s.room);
  setRooms(new Map());
  roomsLoaded.value = false;
  activeRoomId.value = null;
}

/** The other member of a direct room (or null for groups). */
export function otherMember(room: Room): Id | null {
  if (room.kind !== "direct") return null;
  const self = me.value?.id;
  return room.members.find((m) => m.user_id !== self)?.user_id ?? null;
}

export function myRole(room: Room): string | undefined {
  return room.members.find((m) => m.user_id === me.value?.id)?.role;
}
