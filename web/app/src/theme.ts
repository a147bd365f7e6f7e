// Light, dark, or the system's choice (prefers-color-scheme); kept in localStorage and applied
// as data-theme on <html> (the CSS custom properties follow it).

import { computed, effect, signal } from "@preact/signals";

export type ThemeChoice = "system" | "light" | "dark";
const KEY = "parley.theme";

const saved = localStorage.getItem(KEY);
export const themeChoice = signal<ThemeChoice>(saved === "light" || saved === "dark" ? saved : "system");

const media = window.matchMedia("(prefers-color-scheme: dark)");
const systemDark = signal(media.matches);
media.addEventListener("change", () => {
  systemDark.value = media.matches;
});

export const effectiveTheme = computed<"light" | "dark">(() =>
  themeChoice.value === "system" ? (systemDark.value ? "dark" : "light") : themeChoice.value,
);

export function setTheme(choice: ThemeChoice): void {
  if (choice === "system") localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, choice);
  themeChoice.value = choice;
}

/** The header toggle: to the other theme of the one shown now. */
export function toggleTheme(): void {
  setTheme(effectiveTheme.value === "dark" ? "light" : "dark");
}

effect(() => {
  const root = document.documentElement;
  root.dataset.theme = effectiveTheme.value;
  root.style.colorScheme = effectiveTheme.value;
});
