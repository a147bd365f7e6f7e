// The address, whether it is confirmed, and changing it (a link goes to the new address).

import { useState } from "preact/hooks";
import { parley } from "../api/client";
import { ErrorBox, Note } from "../components/Alert";
import { Field } from "../components/Field";
import { t } from "../i18n";
import { me } from "../state/session";
import { useSubmit } from "../components/useSubmit";

export function EmailSection() {
  const user = me.value!;
  const [newEmail, setNewEmail] = useState("");
  const [password, setPassword] = useState("");
  const s = useSubmit();
  const submit = (e: Event) => {
    e.preventDefault();
    void s.run(async () => {
      await parley.auth.requestEmailChange(newEmail.trim(), password);
      setPassword("");
      return t("settings.emailChangeSent", { email: newEmail.trim() });
    });
  };
  return (
    <section class="settings__section" aria-labelledby="s-email">
      <h2 id="s-email">{t("settings.email")}</h2>
      <p>
        <span dir="ltr">{user.email}</span> — <span class={user.email_verified ? "ok" : "warn"}>{user.email_verified ? t("settings.verified") : t("settings.unverified")}</span>
      </p>
      <details>
        <summary>{t("settings.changeEmail")}</summary>
        <form class="form" onSubmit={submit} aria-busy={s.busy} noValidate>
          <Field label={t("settings.newEmail")} value={newEmail} onValue={setNewEmail} type="email" autoComplete="email" error={s.error?.fields.new_email} />
          <Field label={t("settings.currentPassword")} value={password} onValue={setPassword} type="password" autoComplete="current-password" error={s.error?.fields.password} />
          <ErrorBox error={s.error} />
          {s.done && <Note kind="success">{s.done}</Note>}
          <button type="submit" class="button" disabled={s.busy}>{t("settings.sendConfirm")}</button>
        </form>
      </details>
    </section>
  );
}
