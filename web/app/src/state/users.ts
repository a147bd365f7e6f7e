// How to name a user. The API has no endpoint that returns another user's profile (names come
// only with the caller's own account), so others are shown by a short form of their user id.

import type { Id } from "@parley/sdk";
import { t } from "../i18n";
import { me } from "./session";

export function shortId(id: Id): string {
  return id.length > 6 ? "…" + id.slice(-6) : id;
}

export function userName(id: Id | null): string {
  if (id === null) return t("user.deleted");
  const self = me.value;
  if (self && self.id === id) return self.display_name;
  return t("user.unknown", { id: shortId(id) });
}

/** A letter or two for the avatar circle. */
export function initials(name: string): string {
  const words = name.replace(/[…]/g, "").trim().split(/\s+/).filter(Boolean);
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
