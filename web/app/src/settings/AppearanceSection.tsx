// Theme (system, light, dark) and language.

import { LangSelect } from "../components/Preferences";
import { t } from "../i18n";
import { setTheme, themeChoice, type ThemeChoice } from "../theme";

const THEMES: ThemeChoice[] = ["system", "light", "dark"];

export function AppearanceSection() {
  return (
    <section class="settings__section" aria-labelledby="s-appearance">
      <h2 id="s-appearance">{t("settings.appearance")}</h2>
      <fieldset class="choices choices--row">
        <legend>{t("theme.label")}</legend>
        {THEMES.map((c) => (
          <label class="choice">
            <input type="radio" name="theme" value={c} checked={themeChoice.value === c} onChange={() => setTheme(c)} />
            {t(`theme.${c}`)}
          </label>
        ))}
      </fieldset>
      <div class="field">
        <span class="field__label">{t("lang.label")}</span>
        <LangSelect />
      </div>
    </section>
  );
}
