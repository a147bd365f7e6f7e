// A message of mine the server has not stored yet: sending (also while offline), or refused.

import { errorText } from "../api/errors";
import { Icon } from "../components/Icon";
import { t } from "../i18n";
import { discardPending, retrySend, type Conversation, type Pending } from "../state/conversation";
import { ReplyQuote } from "./MessageItem";

export function PendingItem({ conv, p }: { conv: Conversation; p: Pending }) {
  return (
    <li class={"msg msg--mine msg--pending" + (p.state === "failed" ? " msg--failed" : "")} data-testid="pending-message">
      <div class="msg__bubble">
        {p.reply_to && <ReplyQuote roomId={conv.roomId} id={p.reply_to} />}
        <p class="msg__body" dir="auto" data-testid="message-body">
          {p.body}
        </p>
        <span class="msg__meta">
          {p.state === "failed" ? (
            <span class="msg__receipt msg__receipt--failed" role="alert">
              {t("conv.failed")}: {errorText(p.error)}{" "}
              <button type="button" class="link-button" onClick={() => retrySend(conv, p)}>
                {t("conv.retry")}
              </button>{" "}
              <button type="button" class="link-button" onClick={() => discardPending(conv, p.client_id)}>
                {t("conv.delete")}
              </button>
            </span>
          ) : (
            <span class="msg__receipt" data-testid="receipt">
              <Icon name="check" size={14} />
              {p.state === "sent" ? t("conv.sent") : t("conv.sending")}
            </span>
          )}
        </span>
      </div>
    </li>
  );
}
