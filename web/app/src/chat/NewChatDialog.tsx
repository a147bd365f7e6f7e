// "New chat": a direct chat by username or user id, a new group (with optional members, by
// username or id), or joining a group by its code. A modal <dialog> (focus stays inside, Escape closes).

import { useEffect, useRef, useState } from "preact/hooks";
import type { Room } from "@parley/sdk";
import { parley } from "../api/client";
import { describeError, type ShownError } from "../api/errors";
import { ErrorBox } from "../components/Alert";
import { Field } from "../components/Field";
import { Icon } from "../components/Icon";
import { t } from "../i18n";
import { navigate } from "../router";
import { addRoom } from "../state/rooms";
import { resolveUser } from "../state/users";

type Tab = "direct" | "group" | "join";

export function NewChatDialog({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [tab, setTab] = useState<Tab>("direct");
  const [userId, setUserId] = useState("");
  const [name, setName] = useState("");
  const [members, setMembers] = useState("");
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);

  async function submit(e: Event) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      let room: Room;
      if (tab === "direct") {
        const id = await resolveUser(userId);
        if (!id) return setError({ message: t("err.validation_failed"), fields: { member: t("new.noSuchUser", { name: userId.trim() }) } });
        room = await parley.rooms.createDirect(id);
      } else if (tab === "group") {
        const ids: string[] = [];
        for (const entry of members.split(/[\s,]+/).filter(Boolean)) {
          const id = await resolveUser(entry);
          if (!id) return setError({ message: t("err.validation_failed"), fields: { members: t("new.noSuchUser", { name: entry }) } });
          ids.push(id);
        }
        room = await parley.rooms.createGroup(name.trim(), ids);
      } else {
        room = await parley.rooms.join(code.trim().toLowerCase());
      }
      addRoom(room);
      onClose();
      navigate(`/rooms/${room.id}`);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  const tabs: Array<[Tab, string]> = [
    ["direct", t("new.direct")],
    ["group", t("new.group")],
    ["join", t("new.join")],
  ];
  return (
    <dialog ref={ref} class="dialog" aria-labelledby="new-chat-title" onClose={onClose} onCancel={onClose}>
      <form class="form" onSubmit={submit} aria-busy={busy} noValidate>
        <header class="dialog__head">
          <h2 id="new-chat-title">{t("new.title")}</h2>
          <button type="button" class="icon-button" aria-label={t("new.cancel")} onClick={onClose}>
            <Icon name="close" />
          </button>
        </header>
        <div class="segmented" role="radiogroup" aria-label={t("new.title")}>
          {tabs.map(([id, label]) => (
            <label class={"segmented__item" + (tab === id ? " segmented__item--on" : "")}>
              <input type="radio" name="kind" value={id} checked={tab === id} onChange={() => { setTab(id); setError(null); }} />
              {label}
            </label>
          ))}
        </div>
        {tab === "direct" && (
          <Field label={t("new.userId")} value={userId} onValue={setUserId} name="user_id" autoComplete="off" autoFocus
            hint={t("new.userIdHint")} error={error?.fields.member} />
        )}
        {tab === "group" && (
          <>
            <Field label={t("new.groupName")} value={name} onValue={setName} name="group_name" autoFocus required error={error?.fields.name} />
            <Field label={t("new.members")} value={members} onValue={setMembers} name="members" hint={t("new.membersHint")} error={error?.fields.members} />
          </>
        )}
        {tab === "join" && (
          <Field label={t("new.code")} value={code} onValue={setCode} name="code" autoFocus autoComplete="off" hint={t("new.codeHint")} error={error?.fields.code} />
        )}
        <ErrorBox error={error} />
        <div class="dialog__actions">
          <button type="button" class="button" onClick={onClose}>
            {t("new.cancel")}
          </button>
          <button type="submit" class="button button--primary" disabled={busy}>
            {tab === "direct" ? t("new.start") : tab === "group" ? t("new.create") : t("new.joinButton")}
          </button>
        </div>
      </form>
    </dialog>
  );
}
