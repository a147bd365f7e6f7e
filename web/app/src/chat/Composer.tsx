// Writing a message: Enter sends, Shift+Enter is a new line; typing signals go out (throttled by
// the SDK); a bar above shows the message being answered or edited (Escape cancels).

import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { Message } from "@parley/sdk";
import { rt } from "../api/client";
import { errorText } from "../api/errors";
import { Icon } from "../components/Icon";
import { t } from "../i18n";
import { editMessage, send, type Conversation } from "../state/conversation";
import { userName } from "../state/users";

interface Props {
  conv: Conversation;
  replyTo: Message | null;
  editing: Message | null;
  onDone: () => void;
}

const MAX_BYTES = 16384;

export function Composer({ conv, replyTo, editing, onDone }: Props) {
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);

  // Layout effect: the text to edit is in place before anything else can type into the box.
  useLayoutEffect(() => {
    if (editing) setText(editing.body ?? "");
    if (editing || replyTo) area.current?.focus();
  }, [editing?.id, replyTo?.id]);

  useEffect(() => {
    const el = area.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = Math.min(el.scrollHeight, 200) + "px";
  }, [text]);

  async function submit(e?: Event) {
    e?.preventDefault();
    const body = text.trim();
    if (!body) return;
    if (new TextEncoder().encode(body).length > MAX_BYTES) return setError(t("err.payload_too_large"));
    setError(null);
    if (editing) {
      try {
        await editMessage(conv, editing.id, body);
        setText("");
        onDone();
      } catch (err) {
        setError(errorText(err));
      }
      return;
    }
    send(conv, body, replyTo?.id ?? null);
    setText("");
    onDone();
  }

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      void submit();
    } else if (e.key === "Escape" && (editing || replyTo)) {
      e.preventDefault();
      setText("");
      onDone();
    }
  }

  return (
    <form class="composer" onSubmit={submit}>
      {(replyTo || editing) && (
        <div class="composer__context">
          <span>
            {editing ? t("conv.editing") : t("conv.replyingTo", { name: userName(replyTo!.sender_id) })}
            {replyTo && <span class="composer__quote" dir="auto">{replyTo.body ?? ""}</span>}
          </span>
          <button type="button" class="icon-button icon-button--small" aria-label={t("conv.cancel")} onClick={() => { setText(""); onDone(); }}>
            <Icon name="close" size={16} />
          </button>
        </div>
      )}
      {error && <p class="composer__error" role="alert">{error}</p>}
      <div class="composer__row">
        <textarea ref={area} class="composer__input" rows={1} value={text} dir="auto" placeholder={t("conv.placeholder")} aria-label={t("conv.placeholder")}
          data-testid="composer" onKeyDown={onKeyDown}
          onInput={(e) => {
            setText(e.currentTarget.value);
            if (!editing && e.currentTarget.value) rt.typing(conv.roomId);
          }} />
        <button type="submit" class="send-button" aria-label={editing ? t("conv.save") : t("conv.send")} disabled={!text.trim()} data-testid="send">
          <Icon name={editing ? "check" : "send"} />
        </button>
      </div>
    </form>
  );
}
