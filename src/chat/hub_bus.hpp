#pragma once
// The chat service's EventBus on the in-process hub: a room's events go to the room's topic; a
// user's own topic (user ids and room ids come from one generator, so they never collide)
// carries what concerns that user wherever they are subscribed (e.g. being removed from a room).
#include "bus/hub.hpp"
#include "chat/events.hpp"
#include "chat/gateway_frames.hpp"

namespace parley::chat {

class HubBus final : public EventBus {
 public:
  explicit HubBus(bus::Hub& hub) : hub_(hub) {}
  void publish(RoomEvent event) override {
    hub_.publish({event.room.value, event.seq, std::move(event.frame), 0});
  }
  void publish_ephemeral(RoomId room, std::shared_ptr<const std::string> frame, std::optional<UserId> except) override {
    hub_.publish({room.value, 0, std::move(frame), except ? except->value : 0});
  }
  void member_removed(RoomId room, UserId user) override {
    hub_.publish({room.value, 0, nullptr, 0, user.value});
  }
  void member_added(RoomId room, UserId user, UserId by) override {
    hub_.publish({user.value, 0, frames::added(room, by), 0});
  }
  bus::Hub& hub() { return hub_; }

 private:
  bus::Hub& hub_;
};

}  // namespace parley::chat
