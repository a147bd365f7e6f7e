// One row of the room list: avatar, name, last message, time, unread badge.

import type { Room } from "@parley/sdk";
import { Avatar } from "../components/Avatar";
import { Link } from "../components/Link";
import { shortWhen } from "../format";
import { t } from "../i18n";
import { otherMember } from "../state/rooms";
import { presence } from "../state/presence";
import { me } from "../state/session";
import { userInitials, userName } from "../state/users";
import { roomTitle } from "./roomTitle";

function preview(room: Room): string {
  const m = room.last_message;
  if (!m) return t("rooms.noMessages");
  const text = m.deleted ? t("rooms.deleted") : m.body ?? (m.ciphertext ? t("conv.encrypted") : m.view_once ? t("conv.viewOnce") : "");
  if (m.sender_id === me.value?.id) return `${t("rooms.you")}: ${text}`;
  return room.kind === "group" ? `${userName(m.sender_id)}: ${text}` : text;
}

export function RoomListItem({ room, active }: { room: Room; active: boolean }) {
  const title = roomTitle(room);
  const other = otherMember(room);
  const online = other ? presence.value.get(other)?.online : null;
  const when = room.last_message?.created_at ?? (room.last_activity_at as string | undefined) ?? room.created_at;
  return (
    <li class="room-item-wrap">
      <Link href={`/rooms/${room.id}`} class={"room-item" + (active ? " room-item--active" : "") + (room.unread > 0 ? " room-item--unread" : "")}
        aria-current={active ? "page" : undefined} data-room-id={room.id} data-testid="room-item">
        <Avatar id={other ?? room.id} name={title} text={other ? userInitials(other) : undefined} online={online} />
        <span class="room-item__body">
          <span class="room-item__top">
            <span class="room-item__title">{title}</span>
            <time class="room-item__time" dateTime={when}>{shortWhen(when)}</time>
          </span>
          <span class="room-item__bottom">
            <span class="room-item__preview" dir="auto">{preview(room)}</span>
            {room.unread > 0 && (
              <span class="badge" aria-label={t("rooms.unread", { count: room.unread })} data-testid="unread-badge">
                {room.unread}
              </span>
            )}
          </span>
        </span>
      </Link>
    </li>
  );
}
