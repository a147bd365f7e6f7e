// Display name, username, bio; the user id to share (the way others start a direct chat).

import { useState } from "preact/hooks";
import { parley } from "../api/client";
import { ErrorBox, Note } from "../components/Alert";
import { Field } from "../components/Field";
import { t } from "../i18n";
import { me } from "../state/session";
import { useSubmit } from "../components/useSubmit";

export function ProfileSection() {
  const user = me.value!;
  const [displayName, setDisplayName] = useState(user.display_name);
  const [username, setUsername] = useState(user.username ?? "");
  const [bio, setBio] = useState((user.bio as string | null) ?? "");
  const s = useSubmit();

  const save = (e: Event) => {
    e.preventDefault();
    void s.run(async () => {
      const patch: Record<string, string> = {};
      if (displayName !== user.display_name) patch.display_name = displayName.trim();
      if (username !== (user.username ?? "")) patch.username = username.trim();
      if (bio !== (user.bio ?? "")) patch.bio = bio;
      if (Object.keys(patch).length) me.value = await parley.me.update(patch);
      return t("settings.saved");
    });
  };

  return (
    <section class="settings__section" aria-labelledby="s-profile">
      <h2 id="s-profile">{t("settings.profile")}</h2>
      <div class="field">
        <span class="field__label" id="s-uid">{t("settings.userId")}</span>
        <code class="user-id" aria-labelledby="s-uid" data-testid="my-user-id">{user.id}</code>
        <p class="field__hint">{t("settings.userIdHint")}</p>
      </div>
      <form class="form" onSubmit={save} aria-busy={s.busy} noValidate>
        <Field label={t("auth.displayName")} value={displayName} onValue={setDisplayName} name="display_name" error={s.error?.fields.display_name} />
        <Field label={t("auth.username")} value={username} onValue={setUsername} name="username" hint={t("auth.usernameHint")} error={s.error?.fields.username} />
        <Field label={t("settings.bio")} value={bio} onValue={setBio} name="bio" multiline error={s.error?.fields.bio} />
        <ErrorBox error={s.error} />
        {s.done && <Note kind="success">{s.done}</Note>}
        <button type="submit" class="button button--primary" disabled={s.busy}>{t("settings.save")}</button>
      </form>
    </section>
  );
}
