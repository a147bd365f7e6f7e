#include "net/trace.hpp"

#include "core/ids.hpp"

namespace parley::net {
namespace {

bool lower_hex(std::string_view s, std::size_t n) {
  if (s.size() != n) return false;
  bool nonzero = false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    nonzero |= c != '0';
  }
  return nonzero;
}

}  // namespace

std::optional<TraceContext> parse_traceparent(std::string_view v) {
  // version(2)-trace(32)-parent(16)-flags(2)
  if (v.size() < 55 || v[2] != '-' || v[35] != '-' || v[52] != '-') return std::nullopt;
  const auto version = v.substr(0, 2);
  if (version == "ff" || (version == "00" && v.size() != 55)) return std::nullopt;
  if (!lower_hex(v.substr(0, 2), 2) && version != "00") return std::nullopt;
  const auto trace = v.substr(3, 32), parent = v.substr(36, 16), flags = v.substr(53, 2);
  if (!lower_hex(trace, 32) || !lower_hex(parent, 16)) return std::nullopt;
  for (char c : flags)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  TraceContext t;
  t.trace_id = std::string(trace);
  t.flags = std::string(flags);
  return t;
}

TraceContext trace_for(std::string_view incoming) {
  TraceContext t;
  if (auto parsed = parse_traceparent(incoming)) t = std::move(*parsed);
  else t.trace_id = random_hex(16);
  t.span_id = random_hex(8);
  return t;
}

}  // namespace parley::net
