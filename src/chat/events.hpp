#pragma once
// The seam between the chat service and the real-time gateway: the service publishes each stored
// room event (a new message, an edit, a delete: each with its own seq) once it is durable, in
// commit order; the gateway's hub implements EventBus and fans the frames out to sockets.
#include "core/ids.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace parley::chat {

struct RoomEvent {  // one event of a room, serialized once
  RoomId room;
  std::int64_t seq = 0;
  // The complete WS text frame: {"t":"msg"|"edit"|"delete","room":"…","seq":N,"message":{…}}
  std::shared_ptr<const std::string> frame;
};

class EventBus {
 public:
  virtual ~EventBus() = default;
  // Called on the writer thread from Tx::after_commit, in commit order. Must not block.
  virtual void publish(RoomEvent event) = 0;
  // Not stored, no seq (typing, read and delivered receipts, presence): any thread, must not block.
  virtual void publish_ephemeral(RoomId room, std::shared_ptr<const std::string> frame, std::optional<UserId> except) = 0;
  // After the commit that took `user` out of `room` (they left or were removed): their live
  // subscriptions to the room end.
  virtual void member_removed(RoomId room, UserId user) = 0;
  // After the commit that made `user` a member of `room` (a direct room opened with them, a group
  // made with them, added by `by`, or joined by code): each of their connections hears of it.
  virtual void member_added(RoomId room, UserId user, UserId by) = 0;
};

}  // namespace parley::chat
