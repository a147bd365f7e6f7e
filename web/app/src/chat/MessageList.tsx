// The messages of a room, oldest at the top, with day separators, the pending sends at the end,
// and older pages loaded when scrolled to the top (or with the button, for keyboards).

import { Fragment } from "preact";
import type { Message, Room } from "@parley/sdk";
import { errorText } from "../api/errors";
import { dayLabel } from "../format";
import { t } from "../i18n";
import { loadOlder, retryLoad, type Conversation } from "../state/conversation";
import { me } from "../state/session";
import { MessageItem } from "./MessageItem";
import { PendingItem } from "./PendingItem";
import { receiptText } from "./receipts";
import { useScrollKeeper } from "./useScrollKeeper";
import { Icon } from "../components/Icon";

interface Props {
  room: Room;
  conv: Conversation;
  canModerate: boolean;
  onReply: (m: Message) => void;
  onEdit: (m: Message) => void;
  onDelete: (m: Message) => void;
}

export function MessageList({ room, conv, canModerate, onReply, onEdit, onDelete }: Props) {
  const myId = me.value?.id ?? "";
  const messages = conv.messages.value;
  const pending = conv.pending.value;
  const last = messages[messages.length - 1];
  const lastPending = pending[pending.length - 1];
  const keeper = useScrollKeeper({
    firstKey: messages[0]?.id,
    lastKey: (lastPending?.client_id ?? "") + ":" + (last?.id ?? "") + ":" + messages.length,
    lastIsMine: lastPending !== undefined || last?.sender_id === myId,
    onTop: () => void loadOlder(conv),
    canLoad: conv.loaded.value && conv.hasOlder.value,
  });
  let lastMine: Message | undefined;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i].sender_id === myId && !messages[i].deleted) {
      lastMine = messages[i];
      break;
    }
  }

  return (
    <div class="messages" ref={keeper.box} onScroll={keeper.onScroll} data-testid="messages">
      <div ref={keeper.top} class="messages__top">
        {conv.loaded.value && conv.hasOlder.value && (
          <button type="button" class="button button--small button--ghost" onClick={() => void loadOlder(conv)} disabled={conv.loadingOlder.value}>
            {conv.loadingOlder.value ? t("conv.loadingOlder") : t("conv.loadOlder")}
          </button>
        )}
        {conv.loaded.value && !conv.hasOlder.value && <p class="muted">{t("conv.start")}</p>}
        {!conv.loaded.value && conv.error.value == null && <p class="muted">{t("app.loading")}</p>}
        {conv.error.value != null && (
          <p class="alert alert--error" role="alert">
            {errorText(conv.error.value)}{" "}
            <button type="button" class="button button--small" onClick={() => void retryLoad(conv)}>
              {t("conv.retry")}
            </button>
          </p>
        )}
      </div>
      <ol class="messages__list" aria-label={t("conv.messages")}>
        {messages.map((m, i) => {
          const prev = messages[i - 1];
          const newDay = !prev || new Date(prev.created_at).toDateString() !== new Date(m.created_at).toDateString();
          const mine = m.sender_id === myId;
          const follows = !newDay && prev?.sender_id === m.sender_id && Date.parse(m.created_at) - Date.parse(prev.created_at) < 5 * 60_000;
          return (
            <Fragment key={m.id}>
              {newDay && (
                <li class="day" role="separator">
                  <span>{dayLabel(m.created_at)}</span>
                </li>
              )}
              <MessageItem room={room} m={m} mine={mine} follows={follows} showSender={room.kind === "group" && !follows}
                receipt={m === lastMine && pending.length === 0 ? receiptText(room, m, myId) : undefined}
                canDelete={canModerate} onReply={onReply} onEdit={onEdit} onDelete={onDelete} />
            </Fragment>
          );
        })}
        {pending.map((p) => (
          <PendingItem key={p.client_id} conv={conv} p={p} />
        ))}
      </ol>
      {keeper.showJump && (
        <button type="button" class="jump-latest" onClick={keeper.toBottom} aria-label={t("conv.jumpLatest")}>
          <Icon name="back" />
        </button>
      )}
    </div>
  );
}
