// How to name a user. The API has no endpoint that returns another user's profile (names come
// only with the caller's own account), so others are shown by a short form of their user id.

import type { Id } from "@parley/sdk";
import { t } from "../i18n";
import { me } from "./session";

/** The end of an id, isolated left-to-right so it reads the same inside Hebrew text. */
export function shortId(id: Id): string {
  return "\u2066" + (id.length > 6 ? "…" + id.slice(-6) : id) + "\u2069";
}

export function userName(id: Id | null): string {
  if (id === null) return t("user.deleted");
  const self = me.value;
  if (self && self.id === id) return self.display_name;
  return t("user.unknown", { id: shortId(id) });
}

/** What the avatar of a user shows: their initials, or for others (no names in the API) the id's last digits. */
export function userInitials(id: Id | null): string {
  const self = me.value;
  if (self && self.id === id) return initials(self.display_name);
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
