// Who sees my last-seen time (PATCH /v1/me last_seen_privacy) and who may add me to groups
// (group_add_privacy), each saved on change.

import { useState } from "preact/hooks";
import { parley } from "../api/client";
import { ErrorBox, Note } from "../components/Alert";
import { t } from "../i18n";
import { me } from "../state/session";
import { useSubmit } from "../components/useSubmit";

const CHOICES = ["everyone", "contacts", "nobody"] as const;
type Choice = (typeof CHOICES)[number];

export function PrivacySection() {
  return (
    <>
      <LastSeenSection />
      <GroupAddSection />
    </>
  );
}

function LastSeenSection() {
  const saved = (me.value?.last_seen_privacy as Choice | undefined) ?? "everyone";
  const [current, setCurrent] = useState<Choice>(saved);
  const s = useSubmit();
  const choose = (c: Choice) => {
    setCurrent(c); // at once; back to what the server has if saving fails
    void s.run(async () => {
      try {
        me.value = await parley.me.update({ last_seen_privacy: c });
      } catch (e) {
        setCurrent(saved);
        throw e;
      }
      return t("settings.saved");
    });
  };
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

const GROUP_CHOICES = ["everyone", "contacts", "nobody"] as const;
type GroupChoice = (typeof GROUP_CHOICES)[number];

function GroupAddSection() {
  const saved = (me.value?.group_add_privacy as GroupChoice | undefined) ?? "everyone";
  const [current, setCurrent] = useState<GroupChoice>(saved);
  const s = useSubmit();
  const choose = (c: GroupChoice) => {
    setCurrent(c);
    void s.run(async () => {
      try {
        me.value = await parley.me.update({ group_add_privacy: c });
      } catch (e) {
        setCurrent(saved);
        throw e;
      }
      return t("settings.saved");
    });
  };
  return (
    <section class="settings__section" aria-labelledby="s-group-add">
      <h2 id="s-group-add">{t("settings.groups")}</h2>
      <fieldset class="choices" disabled={s.busy}>
        <legend>{t("settings.groupAdd")}</legend>
        {GROUP_CHOICES.map((c) => (
          <label class="choice">
            <input type="radio" name="group_add_privacy" value={c} checked={current === c} onChange={() => choose(c)} />
            {t(`settings.groupAdd.${c}`)}
          </label>
        ))}
      </fieldset>
      <ErrorBox error={s.error} />
      {s.done && <Note kind="success">{s.done}</Note>}
    </section>
  );
}
