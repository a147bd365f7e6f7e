// GET /v1/rooms/{id}/presence, which the SDK does not wrap: the members' online state and last seen.

import { problemFromResponse, type Id } from "@parley/sdk";
import { parley } from "./client";

export interface Presence {
  user_id: Id;
  online: boolean | null;
  last_seen: string | null;
}

export async function roomPresence(roomId: Id): Promise<Presence[]> {
  const token = await parley.tokens.accessToken();
  const res = await fetch(`/v1/rooms/${encodeURIComponent(roomId)}/presence`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  const text = await res.text();
  if (!res.ok) throw problemFromResponse(res.status, (h) => res.headers.get(h), text);
  return (JSON.parse(text) as { items: Presence[] }).items;
}
