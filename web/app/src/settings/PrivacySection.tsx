// Who sees my last-seen time (PATCH /v1/me last_seen_privacy), saved on change.

import { parley } from "../api/client";
import { ErrorBox, Note } from "../components/Alert";
import { t } from "../i18n";
import { me } from "../state/session";
import { useSubmit } from "./useSubmit";

const CHOICES = ["everyone", "contacts", "nobody"] as const;
type Choice = (typeof CHOICES)[number];

export function PrivacySection() {
  const current = (me.value?.last_seen_privacy as Choice | undefined) ?? "everyone";
  const s = useSubmit();
  const choose = (c: Choice) =>
    void s.run(async () => {
      me.value = await parley.me.update({ last_seen_privacy: c });
      return t("settings.saved");
    });
  return (
    <section class="settings__section" aria-labelledby="s-privacy">
      <h2 id="s-privacy">{t("settings.privacy")}</h2>
      <fieldset class="choices" disabled={s.busy}>
        <legend>{t("settings.lastSeen")}</legend>
        {CHOICES.map((c) => (
          <label class="choice">
            <input type="radio" name="last_seen_privacy" value={c} checked={current === c} onChange={() => choose(c)} />
            {t(`settings.lastSeen.${c}`)}
          </label>
        ))}
      </fieldset>
      <ErrorBox error={s.error} />
      {s.done && <Note kind="success">{s.done}</Note>}
    </section>
  );
}
