// The theme toggle and the language picker, in the header of every screen.

import { LANGS, lang, setLang, t, type Lang } from "../i18n";
import { effectiveTheme, toggleTheme } from "../theme";
import { Icon } from "./Icon";

export function ThemeToggle() {
  const dark = effectiveTheme.value === "dark";
  const label = t("theme.toggle", { mode: dark ? t("theme.light") : t("theme.dark") });
  return (
    <button type="button" class="icon-button" onClick={toggleTheme} aria-label={label} title={label} data-testid="theme-toggle">
      <Icon name={dark ? "sun" : "moon"} />
    </button>
  );
}

export function LangSelect() {
  return (
    <select class="lang-select" aria-label={t("lang.label")} value={lang.value} onChange={(e) => setLang(e.currentTarget.value as Lang)} data-testid="lang-select">
      {LANGS.map((l) => (
        <option value={l.id} lang={l.id}>
          {l.label}
        </option>
      ))}
    </select>
  );
}
