// The caller's rooms, most recent activity first.

import { Note } from "../components/Alert";
import { errorText } from "../api/errors";
import { t } from "../i18n";
import { activeRoomId, loadRooms, roomList, roomsError, roomsLoaded } from "../state/rooms";
import { RoomListItem } from "./RoomListItem";

export function RoomList() {
  const rooms = roomList.value;
  return (
    <nav class="room-list" aria-label={t("rooms.title")}>
      {roomsError.value != null && (
        <div class="alert alert--error" role="alert">
          {errorText(roomsError.value)}{" "}
          <button type="button" class="button button--small" onClick={() => void loadRooms()}>
            {t("conv.retry")}
          </button>
        </div>
      )}
      {!roomsLoaded.value && roomsError.value == null && <p class="muted room-list__note">{t("app.loading")}</p>}
      {roomsLoaded.value && rooms.length === 0 && <Note>{t("rooms.empty")}</Note>}
      <ul>
        {rooms.map((r) => (
          <RoomListItem key={r.id} room={r} active={r.id === activeRoomId.value} />
        ))}
      </ul>
    </nav>
  );
}
