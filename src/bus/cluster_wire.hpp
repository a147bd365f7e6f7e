#pragma once
// How a hub event travels between nodes on a Redis channel: a one-line text header (the origin
// node and the event's numbers) followed by the reason and the frame bytes as they are.
//   "P1 <origin> <topic> <seq> <except> <revoke> <end_session> <reason bytes> <frame: 0 none, 1>\n"
#include "bus/hub.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace parley::bus::wire {

// `origin` has no spaces or newlines (a node id).
std::string encode(std::string_view origin, const Event& event);

struct Message {
  std::string origin;
  Event event;
};
std::optional<Message> decode(std::string_view payload);

}  // namespace parley::bus::wire
