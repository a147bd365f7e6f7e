// The status of one of my messages from the other members' markers: sent, delivered, read.

import type { Message, Room } from "@parley/sdk";
import { t } from "../i18n";

export function receiptText(room: Room, m: Message, myId: string): { text: string; state: "sent" | "delivered" | "read" } {
  const others = room.members.filter((x) => x.user_id !== myId);
  const read = others.filter((x) => (x.read_seq ?? 0) >= m.seq).length;
  const delivered = others.filter((x) => Math.max(x.delivered_seq ?? 0, x.read_seq ?? 0) >= m.seq).length;
  if (read > 0) {
    return { text: room.kind === "direct" || others.length === 1 ? t("conv.read") : t("conv.readBy", { count: read }), state: "read" };
  }
  if (delivered > 0) return { text: t("conv.delivered"), state: "delivered" };
  return { text: t("conv.sent"), state: "sent" };
}
