// Settings: profile, email, privacy, two-factor, sessions, appearance, sign out.

import { Icon } from "../components/Icon";
import { Link } from "../components/Link";
import { t } from "../i18n";
import { signOut } from "../state/session";
import { AccountDataSection } from "./AccountDataSection";
import { AppearanceSection } from "./AppearanceSection";
import { EmailSection } from "./EmailSection";
import { PrivacySection } from "./PrivacySection";
import { ProfileSection } from "./ProfileSection";
import { SessionsSection } from "./SessionsSection";
import { TotpSection } from "./TotpSection";

export function SettingsPage() {
  return (
    <div class="settings" data-testid="settings">
      <header class="conv-header">
        <Link href="/" class="icon-button conv-header__back" aria-label={t("nav.back")}>
          <Icon name="back" />
        </Link>
        <h2 class="conv-header__title">{t("settings.title")}</h2>
      </header>
      <div class="settings__body">
        <ProfileSection />
        <EmailSection />
        <PrivacySection />
        <TotpSection />
        <SessionsSection />
        <AppearanceSection />
        <AccountDataSection />
        <section class="settings__section">
          <button type="button" class="button button--danger" onClick={() => void signOut()} data-testid="sign-out">
            <Icon name="signout" /> {t("nav.signOut")}
          </button>
        </section>
      </div>
    </div>
  );
}
