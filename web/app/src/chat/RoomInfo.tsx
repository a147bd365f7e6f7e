// Details of a room: the join code (shown to members, a new one for the owner and admins), the
// members with their roles; the owner makes members admins (and back), the owner and admins add
// members (by username or id) and remove them (admins: members only); anyone leaves a group.
// The member list comes from GET /v1/rooms/{id}/members a page at a time (the room object carries
// only the first few members).

import { useEffect, useState } from "preact/hooks";
import type { Room, RoomMember } from "@parley/sdk";
import { parley } from "../api/client";
import { errorText } from "../api/errors";
import { Avatar } from "../components/Avatar";
import { Icon } from "../components/Icon";
import { relative } from "../format";
import { t, type MessageKey } from "../i18n";
import { navigate } from "../router";
import { presence } from "../state/presence";
import { addRoom, myRole, removeRoom } from "../state/rooms";
import { me } from "../state/session";
import { resolveUser, userInitials, userName } from "../state/users";

export function RoomInfo({ room, onClose }: { room: Room; onClose: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [newMember, setNewMember] = useState("");
  const role = myRole(room);
  const admin = role === "owner" || role === "admin";
  const [members, setMembers] = useState<RoomMember[]>(room.members);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [version, setVersion] = useState(0); // bumped by changes that keep member_count (roles)

  async function loadMembers(cursor?: string) {
    const page = await parley.rooms.members(room.id, { limit: 100, cursor });
    setMembers((old) => (cursor ? [...old, ...page.items] : page.items));
    setNextCursor(page.next);
  }
  useEffect(() => {
    loadMembers().catch((e) => setError(errorText(e)));
  }, [room.id, room.member_count, version]);
  const more = () => act(() => loadMembers(nextCursor ?? undefined));

  async function act(fn: () => Promise<void>) {
    setError(null);
    setNote(null);
    try {
      await fn();
    } catch (e) {
      setError(errorText(e));
    }
  }

  const regenerate = () => act(async () => {
    addRoom(await parley.rooms.regenerateCode(room.id));
    setNote(t("info.regenerated"));
  });
  const copy = () => act(async () => {
    await navigator.clipboard.writeText(room.code ?? "");
    setNote(t("info.copied"));
  });
  const add = (e: Event) => {
    e.preventDefault();
    void act(async () => {
      const id = await resolveUser(newMember);
      if (!id) return setError(t("new.noSuchUser", { name: newMember.trim() }));
      await parley.rooms.addMember(room.id, id);
      setNewMember("");
      addRoom(await parley.rooms.get(room.id));
      setVersion((v) => v + 1);
    });
  };
  const setRole = (userId: string, next: "admin" | "member") => act(async () => {
    await parley.rooms.setRole(room.id, userId, next);
    addRoom(await parley.rooms.get(room.id));
    setVersion((v) => v + 1);
  });
  const remove = (userId: string) => act(async () => {
    if (!confirm(t("info.confirmRemove", { name: userName(userId) }))) return;
    await parley.rooms.removeMember(room.id, userId);
    addRoom(await parley.rooms.get(room.id));
    setVersion((v) => v + 1);
  });
  const leave = () => act(async () => {
    if (!confirm(t("info.confirmLeave"))) return;
    await parley.rooms.leave(room.id, me.value!.id);
    removeRoom(room.id);
    navigate("/");
  });

  return (
    <aside class="room-info" aria-labelledby="room-info-title" data-testid="room-info">
      <header class="room-info__head">
        <h2 id="room-info-title">{t("conv.info")}</h2>
        <button type="button" class="icon-button" aria-label={t("info.close")} onClick={onClose}>
          <Icon name="close" />
        </button>
      </header>
      {error && <p class="alert alert--error" role="alert">{error}</p>}
      {note && <p class="alert alert--success" role="status">{note}</p>}
      {room.kind === "group" && room.code && (
        <section class="room-info__section">
          <h3>{t("info.code")}</h3>
          <p class="muted">{t("info.codeHint")}</p>
          <p class="room-info__code">
            <code data-testid="join-code">{room.code}</code>
            <button type="button" class="button button--small" onClick={copy}>{t("info.copy")}</button>
            {admin && <button type="button" class="button button--small" onClick={regenerate} data-testid="regenerate-code">{t("info.regenerate")}</button>}
          </p>
        </section>
      )}
      <section class="room-info__section">
        <h3>{t("info.members")}{room.member_count !== undefined ? ` (${room.member_count})` : ""}</h3>
        <ul class="members" data-testid="members">
          {members.map((m) => {
            const p = presence.value.get(m.user_id);
            const name = userName(m.user_id);
            return (
              <li class="members__item">
                <Avatar id={m.user_id} name={name} text={userInitials(m.user_id)} online={p?.online} size={32} />
                <span class="members__text">
                  <span>{name}{m.user_id === me.value?.id ? ` (${t("user.you")})` : ""}</span>
                  <span class="muted members__id">
                    <code>{m.user_id}</code>
                    {room.kind === "group" && ` · ${t(`info.role.${m.role}` as MessageKey)}`}
                    {p && !p.online && p.last_seen && ` · ${t("conv.lastSeen", { when: relative(p.last_seen) })}`}
                    {p?.online && ` · ${t("conv.online")}`}
                  </span>
                </span>
                {room.kind === "group" && m.user_id !== me.value?.id && m.role !== "owner" && (
                  <span class="members__actions">
                    {role === "owner" && (
                      <button type="button" class="button button--small" data-testid="toggle-admin"
                        aria-label={`${m.role === "admin" ? t("info.makeMember") : t("info.makeAdmin")}: ${name}`}
                        onClick={() => setRole(m.user_id, m.role === "admin" ? "member" : "admin")}>
                        {m.role === "admin" ? t("info.makeMember") : t("info.makeAdmin")}
                      </button>
                    )}
                    {(role === "owner" || (role === "admin" && m.role === "member")) && (
                      <button type="button" class="button button--small" data-testid="remove-member"
                        aria-label={`${t("info.remove")}: ${name}`} onClick={() => remove(m.user_id)}>
                        {t("info.remove")}
                      </button>
                    )}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
        {nextCursor !== null && (
          <button type="button" class="button button--small" data-testid="more-members" onClick={more}>{t("info.moreMembers")}</button>
        )}
        {room.kind === "group" && admin && (
          <form class="inline-form" onSubmit={add}>
            <label for="add-member">{t("info.addMember")}</label>
            <span class="inline-form__row">
              <input id="add-member" value={newMember} autoComplete="off" onInput={(e) => setNewMember(e.currentTarget.value)} />
              <button type="submit" class="button button--small" disabled={!newMember.trim()}>{t("info.add")}</button>
            </span>
          </form>
        )}
      </section>
      {room.kind === "group" && (
        <section class="room-info__section">
          <button type="button" class="button button--danger" onClick={leave}>{t("info.leave")}</button>
        </section>
      )}
    </aside>
  );
}
