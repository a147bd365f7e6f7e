#include "bus/cluster_wire.hpp"

#include <fmt/format.h>

#include <charconv>

namespace parley::bus::wire {

std::string encode(std::string_view origin, const Event& e) {
  std::string out = fmt::format("P1 {} {} {} {} {} {} {} {}\n", origin, e.topic, e.seq, e.except, e.revoke,
                                e.end_session, e.reason.size(), e.frame ? 1 : 0);
  out += e.reason;
  if (e.frame) out += *e.frame;
  return out;
}

namespace {
bool number(std::string_view& in, std::int64_t& out) {
  auto [end, ec] = std::from_chars(in.data(), in.data() + in.size(), out);
  if (ec != std::errc{}) return false;
  in.remove_prefix(static_cast<std::size_t>(end - in.data()));
  if (in.empty() || (in.front() != ' ' && in.front() != '\n')) return false;
  in.remove_prefix(1);
  return true;
}
}  // namespace

std::optional<Message> decode(std::string_view in) {
  if (!in.starts_with("P1 ")) return std::nullopt;
  in.remove_prefix(3);
  const auto space = in.find(' ');
  if (space == std::string_view::npos || space == 0) return std::nullopt;
  Message m;
  m.origin = std::string(in.substr(0, space));
  in.remove_prefix(space + 1);
  std::int64_t reason_len = 0, has_frame = 0;
  Event& e = m.event;
  if (!number(in, e.topic) || !number(in, e.seq) || !number(in, e.except) || !number(in, e.revoke) ||
      !number(in, e.end_session) || !number(in, reason_len) || !number(in, has_frame))
    return std::nullopt;
  if (reason_len < 0 || static_cast<std::size_t>(reason_len) > in.size()) return std::nullopt;
  e.reason = std::string(in.substr(0, static_cast<std::size_t>(reason_len)));
  in.remove_prefix(static_cast<std::size_t>(reason_len));
  if (has_frame) e.frame = std::make_shared<const std::string>(in);
  else if (!in.empty()) return std::nullopt;
  return m;
}

}  // namespace parley::bus::wire
