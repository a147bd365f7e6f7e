// A room's name as shown: the group's name, or the other person of a direct room.

import type { Room } from "@parley/sdk";
import { otherMember } from "../state/rooms";
import { userName } from "../state/users";

export function roomTitle(room: Room): string {
  if (room.kind === "group") return room.name ?? "";
  const other = otherMember(room);
  return other ? userName(other) : userName(room.members[0]?.user_id ?? null);
}
