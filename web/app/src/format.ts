// Dates and times in the current language (Intl).

import { lang, t } from "./i18n";

export function timeOfDay(iso: string): string {
  return new Intl.DateTimeFormat(lang.value, { hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
}

/** For the room list: the time today, else the day. */
export function shortWhen(iso: string): string {
  const d = new Date(iso);
  const now = new Date();
  if (d.toDateString() === now.toDateString()) return timeOfDay(iso);
  const opts: Intl.DateTimeFormatOptions = d.getFullYear() === now.getFullYear() ? { day: "numeric", month: "short" } : { dateStyle: "short" };
  return new Intl.DateTimeFormat(lang.value, opts).format(d);
}

export function dayLabel(iso: string): string {
  return new Intl.DateTimeFormat(lang.value, { dateStyle: "full" }).format(new Date(iso));
}

export function fullWhen(iso: string): string {
  return new Intl.DateTimeFormat(lang.value, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

/** "5 minutes ago", "yesterday", or a date. */
export function relative(iso: string, now = Date.now()): string {
  const diff = (new Date(iso).getTime() - now) / 1000;
  const rtf = new Intl.RelativeTimeFormat(lang.value, { numeric: "auto" });
  const a = Math.abs(diff);
  if (a < 45) return t("time.now");
  if (a < 3600) return rtf.format(Math.round(diff / 60), "minute");
  if (a < 86400) return rtf.format(Math.round(diff / 3600), "hour");
  if (a < 7 * 86400) return rtf.format(Math.round(diff / 86400), "day");
  return fullWhen(iso);
}
