// "Ann is typing…" under the messages (announced politely to screen readers).

import type { Conversation } from "../state/conversation";
import { userName } from "../state/users";
import { t } from "../i18n";

export function TypingIndicator({ conv }: { conv: Conversation }) {
  const ids = [...conv.typing.value.keys()];
  const text = ids.length === 0 ? "" : ids.length === 1 ? t("conv.typing1", { name: userName(ids[0]) }) : t("conv.typingMany");
  return (
    <div class="typing" aria-live="polite" data-testid="typing">
      {text && (
        <>
          <span class="typing__dots" aria-hidden="true">
            <i />
            <i />
            <i />
          </span>
          {text}
        </>
      )}
    </div>
  );
}
