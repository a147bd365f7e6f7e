#pragma once
// The chat service's EventBus on the hub: a room's events go to the room's topic; a user's own
// topic (user ids and room ids come from one generator, so they never collide) carries what
// concerns that user wherever they are subscribed (e.g. being removed from a room). On one node
// the events go straight onto the in-process hub; on many (--redis) through the cluster bus,
// which fans them out here and on every node that follows the topic.
#include "bus/cluster_bus.hpp"
#include "bus/hub.hpp"
#include "chat/events.hpp"
#include "chat/gateway_frames.hpp"

#include <functional>

namespace parley::chat {

class HubBus final : public EventBus {
 public:
  explicit HubBus(bus::Hub& hub) : publish_([&hub](bus::Event e) { hub.publish(std::move(e)); }) {}
  explicit HubBus(bus::ClusterBus& cluster) : publish_([&cluster](bus::Event e) { cluster.publish(std::move(e)); }) {}

  void publish(RoomEvent event) override {
    publish_({event.room.value, event.seq, std::move(event.frame), 0});
  }
  void publish_ephemeral(RoomId room, std::shared_ptr<const std::string> frame, std::optional<UserId> except) override {
    publish_({room.value, 0, std::move(frame), except ? except->value : 0});
  }
  void member_removed(RoomId room, UserId user) override {
    publish_({room.value, 0, nullptr, 0, user.value});
  }
  void member_added(RoomId room, UserId user, UserId by) override {
    publish_({user.value, 0, frames::added(room, by), 0});
  }
  // Any other hub event (a session that ended).
  void publish_event(bus::Event event) { publish_(std::move(event)); }

 private:
  std::function<void(bus::Event)> publish_;
};

}  // namespace parley::chat
