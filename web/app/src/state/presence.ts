// Who is online and when others were last seen (within their privacy settings): loaded per room
// when it opens, then kept current by the real-time `presence` events.

import { signal } from "@preact/signals";
import type { Id } from "@parley/sdk";
import { rt } from "../api/client";
import { roomPresence, type Presence } from "../api/presence";

export const presence = signal<ReadonlyMap<Id, Presence>>(new Map());

function put(items: Presence[]): void {
  const next = new Map(presence.value);
  for (const p of items) next.set(p.user_id, p);
  presence.value = next;
}

export async function loadPresence(roomId: Id): Promise<void> {
  try {
    put(await roomPresence(roomId));
  } catch {
    // presence is a nicety: the conversation works without it
  }
}

const unhook: Array<() => void> = [];

export function startPresence(): void {
  unhook.push(
    rt.on("presence", (f) => put([{ user_id: f.user_id, online: f.online, last_seen: f.last_seen ?? null }])),
  );
}

export function stopPresence(): void {
  for (const f of unhook.splice(0)) f();
  presence.value = new Map();
}
