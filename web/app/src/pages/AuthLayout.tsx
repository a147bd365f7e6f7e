// The frame of the signed-out pages: a centred card, the brand, theme and language controls.

import type { ComponentChildren } from "preact";
import { LangSelect, ThemeToggle } from "../components/Preferences";
import { Link } from "../components/Link";
import { devOutbox } from "../state/dev";
import { t } from "../i18n";

export function AuthLayout({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <div class="auth">
      <header class="auth__top">
        <span class="brand">
          <span class="brand__mark" aria-hidden="true" />
          {t("app.name")}
        </span>
        <span class="auth__controls">
          {devOutbox.value && (
            <Link href="/outbox" class="button button--ghost button--small">
              {t("nav.outbox")}
            </Link>
          )}
          <LangSelect />
          <ThemeToggle />
        </span>
      </header>
      <main id="main" class="auth__card">
        <h1>{title}</h1>
        {children}
      </main>
    </div>
  );
}
