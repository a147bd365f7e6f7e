// How to name a user: their display name from GET /v1/users (fetched in batches the first time an
// id is shown, then kept for the page's life), or a short form of the id until it arrives.

import { signal } from "@preact/signals";
import type { Id, User } from "@parley/sdk";
import { parley } from "../api/client";
import { t } from "../i18n";
import { me } from "./session";

/** Profiles known so far, by id. A new Map on every change, so components re-render. */
const profiles = signal<ReadonlyMap<Id, User>>(new Map());
const wanted = new Set<Id>();
const asked = new Set<Id>();
let timer: ReturnType<typeof setTimeout> | null = null;

function want(id: Id): void {
  if (asked.has(id) || wanted.has(id)) return;
  wanted.add(id);
  timer ??= setTimeout(fetchWanted, 30);
}

async function fetchWanted(): Promise<void> {
  timer = null;
  const ids = [...wanted].slice(0, 100);
  for (const id of ids) {
    wanted.delete(id);
    asked.add(id);
  }
  if (wanted.size > 0) timer = setTimeout(fetchWanted, 30);
  try {
    const users = await parley.users.list(ids);
    if (users.length === 0) return;
    const next = new Map(profiles.value);
    for (const u of users) next.set(u.id, u);
    profiles.value = next;
  } catch {
    for (const id of ids) asked.delete(id); // asked again the next time it is shown
  }
}

const ID = /^[0-9]{1,19}$/;
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9_.]{2,31}$/;

/** A user id as typed, or the id of the user with that username (`ann` or `@ann`); null when none. */
export async function resolveUser(text: string): Promise<Id | null> {
  const s = text.trim().replace(/^@/, "");
  if (ID.test(s)) return s;
  if (!USERNAME.test(s)) return null;
  return (await parley.users.byUsername(s))?.id ?? null;
}

/** The end of an id, isolated left-to-right so it reads the same inside Hebrew text. */
export function shortId(id: Id): string {
  return "\u2066" + (id.length > 6 ? "…" + id.slice(-6) : id) + "\u2069";
}

export function userName(id: Id | null): string {
  if (id === null) return t("user.deleted");
  const self = me.value;
  if (self && self.id === id) return self.display_name;
  const u = profiles.value.get(id);
  if (!u) {
    want(id);
    return t("user.unknown", { id: shortId(id) });
  }
  if (u.deleted) return t("user.deleted");
  return u.display_name || (u.username ?? "") || t("user.unknown", { id: shortId(id) });
}

/** What the avatar of a user shows: their initials once their name is known, else the id's last digits. */
export function userInitials(id: Id | null): string {
  const self = me.value;
  if (self && self.id === id) return initials(self.display_name);
  const u = id ? profiles.value.get(id) : undefined;
  if (u && !u.deleted && u.display_name) return initials(u.display_name);
  return id ? "#" + id.slice(-2) : "?";
}

/** A letter or two for the avatar circle. */
export function initials(name: string): string {
  const words = name.replace(/[…\u2066\u2069]/g, "").trim().split(/\s+/).filter(Boolean);
  const first = [...(words[0] ?? "?")][0] ?? "?";
  const second = words.length > 1 ? ([...words[words.length - 1]][0] ?? "") : "";
  return (first + second).toUpperCase();
}

/** A stable hue per id for avatars. */
export function hue(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) % 360;
  return h;
}
