#pragma once
// W3C Trace Context (traceparent) parsing and generation.
#include <optional>
#include <string>
#include <string_view>

namespace parley::net {

struct TraceContext {
  std::string trace_id;  // 32 lowercase hex
  std::string span_id;   // 16 lowercase hex (ours, for this request)
  std::string flags = "01";
  std::string header() const { return "00-" + trace_id + "-" + span_id + "-" + flags; }
};

// Parses "00-<32 hex>-<16 hex>-<2 hex>"; nullopt when malformed or all-zero ids.
std::optional<TraceContext> parse_traceparent(std::string_view value);
// Continues an incoming trace with a new span id, or starts a new trace.
TraceContext trace_for(std::string_view incoming_traceparent);

}  // namespace parley::net
