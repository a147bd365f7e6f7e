// The top bar of a conversation: back (phones), who or what it is, presence or members, details.

import type { Room } from "@parley/sdk";
import { Avatar } from "../components/Avatar";
import { Icon } from "../components/Icon";
import { Link } from "../components/Link";
import { relative } from "../format";
import { t } from "../i18n";
import { presence } from "../state/presence";
import { otherMember } from "../state/rooms";
import { roomTitle } from "./roomTitle";
import { userInitials } from "../state/users";

function subtitle(room: Room): string {
  const other = otherMember(room);
  if (!other) return t("conv.members", { count: room.member_count ?? room.members.length });
  const p = presence.value.get(other);
  if (!p) return "";
  if (p.online) return t("conv.online");
  if (p.online === null) return t("conv.hidden");
  return p.last_seen ? t("conv.lastSeen", { when: relative(p.last_seen) }) : "";
}

export function ConversationHeader({ room, infoOpen, onInfo }: { room: Room; infoOpen: boolean; onInfo: () => void }) {
  const title = roomTitle(room);
  const other = otherMember(room);
  return (
    <header class="conv-header">
      <Link href="/" class="icon-button conv-header__back" aria-label={t("nav.back")}>
        <Icon name="back" />
      </Link>
      <Avatar id={other ?? room.id} name={title} text={other ? userInitials(other) : undefined} online={other ? presence.value.get(other)?.online : null} size={36} />
      <div class="conv-header__text">
        <h2 class="conv-header__title" data-testid="conv-title">{title}</h2>
        <p class="conv-header__sub" data-testid="presence">{subtitle(room)}</p>
      </div>
      <button type="button" class="icon-button" aria-label={t("conv.info")} aria-expanded={infoOpen} onClick={onInfo} data-testid="room-info-toggle">
        <Icon name="info" />
      </button>
    </header>
  );
}
