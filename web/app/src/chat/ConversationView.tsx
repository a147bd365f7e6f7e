// A room on screen: header, messages, typing, composer, details. While it is visible, what
// arrives is read (the read marker follows), and the members' presence is loaded.

import { useEffect, useState } from "preact/hooks";
import type { Id, Message, Room } from "@parley/sdk";
import { parley, rt } from "../api/client";
import { errorText } from "../api/errors";
import { t } from "../i18n";
import { conversation, deleteMessage } from "../state/conversation";
import { loadPresence } from "../state/presence";
import { activeRoomId, addRoom, myRole, roomMap, roomsLoaded, updateRoom } from "../state/rooms";
import { Composer } from "./Composer";
import { ConversationHeader } from "./ConversationHeader";
import { MessageList } from "./MessageList";
import { RoomInfo } from "./RoomInfo";
import { TypingIndicator } from "./TypingIndicator";

const readSent = new Map<Id, number>();

function markRead(room: Room): void {
  if (document.visibilityState !== "visible") return;
  const seq = Math.max(room.last_seq, rt.lastSeq(room.id) ?? 0);
  if (seq <= (readSent.get(room.id) ?? 0) && room.unread === 0) return;
  readSent.set(room.id, seq);
  if (seq > 0) rt.read(room.id, seq);
  if (room.unread !== 0) updateRoom(room.id, (r) => ({ ...r, unread: 0 }));
}

export function ConversationView({ roomId }: { roomId: Id }) {
  const room = roomMap.value.get(roomId);
  const [missing, setMissing] = useState<string | null>(null);

  useEffect(() => {
    activeRoomId.value = roomId;
    return () => {
      if (activeRoomId.value === roomId) activeRoomId.value = null;
    };
  }, [roomId]);

  // A room not in the list (a link, or a list still loading): ask for it.
  useEffect(() => {
    setMissing(null);
    if (room || !roomsLoaded.value) return;
    parley.rooms.get(roomId).then(addRoom, (e: unknown) => setMissing(errorText(e)));
  }, [roomId, roomsLoaded.value]);

  useEffect(() => {
    void loadPresence(roomId);
    // Fresh markers of the members for the receipts.
    parley.rooms.get(roomId).then((r) => updateRoom(roomId, (old) => ({ ...old, members: r.members })), () => undefined);
  }, [roomId]);

  if (missing) return <div class="conv conv--empty"><p class="alert alert--error" role="alert">{missing}</p></div>;
  if (!room) return <div class="conv conv--empty"><p class="muted">{t("app.loading")}</p></div>;
  return <Conversation room={room} />;
}

function Conversation({ room }: { room: Room }) {
  const conv = conversation(room.id);
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const [editing, setEditing] = useState<Message | null>(null);
  const [infoOpen, setInfoOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const role = myRole(room);
  const lastSeq = conv.messages.value[conv.messages.value.length - 1]?.seq ?? 0;

  useEffect(() => {
    setReplyTo(null);
    setEditing(null);
    setInfoOpen(false);
  }, [room.id]);

  useEffect(() => markRead(room), [room.id, room.last_seq, lastSeq, room.unread]);
  useEffect(() => {
    const onVisible = () => {
      const r = roomMap.value.get(room.id);
      if (r) markRead(r);
    };
    document.addEventListener("visibilitychange", onVisible);
    window.addEventListener("focus", onVisible);
    return () => {
      document.removeEventListener("visibilitychange", onVisible);
      window.removeEventListener("focus", onVisible);
    };
  }, [room.id]);

  async function remove(m: Message) {
    if (!confirm(t("conv.confirmDelete"))) return;
    setError(null);
    try {
      await deleteMessage(conv, m.id);
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <div class={"conv" + (infoOpen ? " conv--info" : "")} data-testid="conversation" data-room-id={room.id}>
      <section class="conv__main" aria-labelledby="conv-title-h">
        <ConversationHeader room={room} infoOpen={infoOpen} onInfo={() => setInfoOpen(!infoOpen)} />
        <span id="conv-title-h" hidden>{t("conv.messages")}</span>
        {error && <p class="alert alert--error conv__error" role="alert">{error}</p>}
        <MessageList room={room} conv={conv} canModerate={role === "owner" || role === "admin"}
          onReply={(m) => { setEditing(null); setReplyTo(m); }}
          onEdit={(m) => { setReplyTo(null); setEditing(m); }}
          onDelete={(m) => void remove(m)} />
        <TypingIndicator conv={conv} />
        <Composer conv={conv} replyTo={replyTo} editing={editing} onDone={() => { setReplyTo(null); setEditing(null); }} />
      </section>
      {infoOpen && <RoomInfo room={room} onClose={() => setInfoOpen(false)} />}
    </div>
  );
}
