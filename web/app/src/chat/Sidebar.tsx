// The left column (right, in Hebrew): brand, new chat, settings, theme; the address reminder;
// the room list.

import { useState } from "preact/hooks";
import { Icon } from "../components/Icon";
import { Link } from "../components/Link";
import { ThemeToggle } from "../components/Preferences";
import { t } from "../i18n";
import { NewChatDialog } from "./NewChatDialog";
import { RoomList } from "./RoomList";
import { VerifyBanner } from "./VerifyBanner";

export function Sidebar() {
  const [creating, setCreating] = useState(false);
  return (
    <aside class="sidebar">
      <header class="sidebar__head">
        <h1 class="brand">
          <span class="brand__mark" aria-hidden="true" />
          {t("app.name")}
        </h1>
        <span class="sidebar__tools">
          <button type="button" class="icon-button" aria-label={t("rooms.new")} title={t("rooms.new")} onClick={() => setCreating(true)} data-testid="new-chat">
            <Icon name="plus" />
          </button>
          <ThemeToggle />
          <Link href="/settings" class="icon-button" aria-label={t("nav.settings")} title={t("nav.settings")} data-testid="settings-link">
            <Icon name="gear" />
          </Link>
        </span>
      </header>
      <VerifyBanner />
      <RoomList />
      {creating && <NewChatDialog onClose={() => setCreating(false)} />}
    </aside>
  );
}
