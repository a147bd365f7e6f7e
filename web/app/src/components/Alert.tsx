// A message box: errors are announced at once (role=alert), notes politely (role=status).

import type { ComponentChildren } from "preact";
import type { ShownError } from "../api/errors";
import { t } from "../i18n";

export function ErrorBox({ error }: { error: ShownError | null }) {
  if (!error) return null;
  return (
    <div class="alert alert--error" role="alert">
      <p>{error.message}</p>
      {error.requestId && <p class="alert__ref">{t("err.requestId", { id: error.requestId })}</p>}
    </div>
  );
}

export function Note({ children, kind = "info" }: { children: ComponentChildren; kind?: "info" | "success" }) {
  return (
    <div class={`alert alert--${kind}`} role="status">
      {children}
    </div>
  );
}
