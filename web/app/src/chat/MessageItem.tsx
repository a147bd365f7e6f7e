// One message: who (groups), what it answers, the text, time, edited mark, my message's receipt,
// and the actions (reply; edit and delete for my own; delete for admins).

import type { Message, Room } from "@parley/sdk";
import { Icon } from "../components/Icon";
import { fullWhen, timeOfDay } from "../format";
import { t } from "../i18n";
import { findMessage } from "../state/conversation";
import { userName } from "../state/users";

interface Props {
  room: Room;
  m: Message;
  mine: boolean;
  /** Follows a message of the same sender closely: drawn closer to it. */
  follows: boolean;
  showSender: boolean;
  receipt?: { text: string; state: string } | undefined;
  canDelete: boolean;
  onReply: (m: Message) => void;
  onEdit: (m: Message) => void;
  onDelete: (m: Message) => void;
}

function content(m: Message): string {
  if (m.deleted) return t("conv.deleted");
  if (m.body !== undefined) return m.body;
  if (m.ciphertext) return t("conv.encrypted");
  if (m.view_once) return t("conv.viewOnce");
  return "";
}

export function ReplyQuote({ roomId, id }: { roomId: string; id: string }) {
  const target = findMessage(roomId, id);
  return (
    <div class="quote">
      <span class="quote__who">{target ? userName(target.sender_id) : ""}</span>
      <span class="quote__text" dir="auto">{target ? content(target) : t("conv.aMessage")}</span>
    </div>
  );
}

export function MessageItem({ room, m, mine, follows, showSender, receipt, canDelete, onReply, onEdit, onDelete }: Props) {
  const editable = mine && !m.deleted && m.body !== undefined && !m.view_once;
  return (
    <li class={"msg" + (mine ? " msg--mine" : "") + (follows ? " msg--follows" : "") + (m.deleted ? " msg--deleted" : "")} data-seq={m.seq} data-id={m.id} data-testid="message">
      <div class="msg__bubble" tabIndex={0} aria-label={`${userName(m.sender_id)}, ${fullWhen(m.created_at)}`}>
        {showSender && !mine && <span class="msg__sender">{userName(m.sender_id)}</span>}
        {m.reply_to && !m.deleted && <ReplyQuote roomId={room.id} id={m.reply_to} />}
        <p class="msg__body" dir="auto" data-testid="message-body">
          {content(m)}
        </p>
        <span class="msg__meta">
          {m.edited_at && !m.deleted && <span class="msg__edited">{t("conv.edited")}</span>}
          <time dateTime={m.created_at} title={fullWhen(m.created_at)}>
            {timeOfDay(m.created_at)}
          </time>
          {receipt && (
            <span class={`msg__receipt msg__receipt--${receipt.state}`} data-testid="receipt">
              <Icon name={receipt.state === "read" ? "checks" : "check"} size={14} />
              {receipt.text}
            </span>
          )}
        </span>
        {!m.deleted && (
          <span class="msg__actions" role="group" aria-label={t("conv.actions")}>
            <button type="button" class="icon-button icon-button--small" aria-label={t("conv.reply")} title={t("conv.reply")} onClick={() => onReply(m)}>
              <Icon name="reply" size={16} />
            </button>
            {editable && (
              <button type="button" class="icon-button icon-button--small" aria-label={t("conv.edit")} title={t("conv.edit")} onClick={() => onEdit(m)}>
                <Icon name="edit" size={16} />
              </button>
            )}
            {(mine || canDelete) && (
              <button type="button" class="icon-button icon-button--small" aria-label={t("conv.delete")} title={t("conv.delete")} onClick={() => onDelete(m)}>
                <Icon name="trash" size={16} />
              </button>
            )}
          </span>
        )}
      </div>
    </li>
  );
}
