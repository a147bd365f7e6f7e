// The language (English or Hebrew), t() and the document's lang/dir. The choice is kept in
// localStorage; the default follows the browser.

import { signal, effect } from "@preact/signals";
import { en, type MessageKey } from "./en";
import { he } from "./he";

export type Lang = "en" | "he";
export const LANGS: Array<{ id: Lang; label: string }> = [
  { id: "en", label: "English" },
  { id: "he", label: "עברית" },
];
const DICTS: Record<Lang, Record<MessageKey, string>> = { en, he };
const RTL: ReadonlySet<Lang> = new Set<Lang>(["he"]);
const KEY = "parley.lang";

function initial(): Lang {
  const saved = localStorage.getItem(KEY);
  if (saved === "en" || saved === "he") return saved;
  return navigator.language.toLowerCase().startsWith("he") ? "he" : "en";
}

export const lang = signal<Lang>(initial());

export function setLang(l: Lang): void {
  localStorage.setItem(KEY, l);
  lang.value = l;
}

effect(() => {
  const l = lang.value;
  document.documentElement.lang = l;
  document.documentElement.dir = RTL.has(l) ? "rtl" : "ltr";
});

/** The message `key` in the current language, with `{name}` placeholders filled from `vars`. */
export function t(key: MessageKey, vars?: Record<string, string | number>): string {
  const text = DICTS[lang.value][key] ?? en[key] ?? key;
  return vars ? text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : text;
}

export function hasKey(key: string): key is MessageKey {
  return key in en;
}

export type { MessageKey };
