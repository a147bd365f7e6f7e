#include "chat_report.hpp"

#include <cstdio>
#include <fstream>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/core.h>

namespace parley::bench {
namespace {

double ms(std::uint64_t ns) { return static_cast<double>(ns) / 1e6; }

const Histogram& primary(const ChatReport& r) {
  if (r.scenario == "fanout") return r.stats.delivery;
  if (r.scenario == "sends") return r.stats.ack;
  return r.stats.ready;
}

double throughput(const ChatReport& r) {
  if (r.scenario == "idle") return static_cast<double>(r.stats.open_at_end);
  if (r.duration_s <= 0) return 0;
  const auto n = r.scenario == "fanout" ? r.stats.deliveries : r.stats.acks;
  return static_cast<double>(n) / r.duration_s;
}

double rss_per_connection_bytes(const ChatReport& r) {
  if (r.rss_before_kib < 0 || r.rss_ready_kib < 0 || r.stats.established == 0) return -1;
  return static_cast<double>(r.rss_ready_kib - r.rss_before_kib) * 1024.0 / static_cast<double>(r.stats.established);
}

boost::json::object latency_json(const Histogram& h) {
  return {{"p50", ms(h.percentile(0.50))}, {"p90", ms(h.percentile(0.90))}, {"p99", ms(h.percentile(0.99))},
          {"p999", ms(h.percentile(0.999))}, {"max", ms(h.max())}, {"mean", h.mean() / 1e6}, {"count", h.count()}};
}

void print_latency(const char* label, const Histogram& h) {
  if (!h.count()) return;
  fmt::print("  {:<9} p50 {:.3f}  p90 {:.3f}  p99 {:.3f}  p99.9 {:.3f}  max {:.3f}  (ms, n={})\n", label,
             ms(h.percentile(0.50)), ms(h.percentile(0.90)), ms(h.percentile(0.99)), ms(h.percentile(0.999)),
             ms(h.max()), h.count());
}

}  // namespace

void print_chat_report(const ChatReport& r) {
  const auto& s = r.stats;
  fmt::print("chat {} [{}] {}, {} connections, {} threads, {:.1f} s measured", r.scenario, r.peer, r.target,
             r.connections, r.threads, r.duration_s);
  if (r.rate > 0) fmt::print(", asked rate {:g} messages/s", r.rate);
  fmt::print(", client CPU {:.2f} cores\n", r.client_cpu);
  fmt::print("  set-up    established {}  failed {}  (refused {})   errors during run {}   open at end {}\n",
             s.established, s.failed, s.refused, s.errors, s.open_at_end);
  if (r.scenario == "fanout") {
    fmt::print("  rooms {} × {} members, {} publishers\n", r.rooms, r.members, r.publishers);
    fmt::print("  messages  sent {}  not sent {}  acked {}\n", s.sent, s.not_sent, s.acks);
    fmt::print("  deliveries {} of {} expected  ({:.0f}/s)   missing {}\n", s.deliveries, s.expected, throughput(r),
               s.expected > s.deliveries ? s.expected - s.deliveries : 0);
    print_latency("delivery", s.delivery);
    print_latency("ack", s.ack);
  } else if (r.scenario == "sends") {
    fmt::print("  sends     sent {}  not sent {}  acked {}  ({:.0f}/s)   unacked {}\n", s.sent, s.not_sent, s.acks,
               throughput(r), s.sent > s.acks ? s.sent - s.acks : 0);
    print_latency("ack", s.ack);
  } else {
    fmt::print("  server RSS  before {} KiB   ready {} KiB   end {} KiB   growth per connection {:.0f} bytes\n",
               r.rss_before_kib, r.rss_ready_kib, r.rss_end_kib, rss_per_connection_bytes(r));
  }
  print_latency("send lag", s.send_lag);
  print_latency("ready", s.ready);
  if (!s.first_error.empty()) fmt::print("  first error: {}\n", s.first_error);
  std::fflush(stdout);
}

bool write_chat_json(const ChatReport& r, const std::string& path) {
  const auto& s = r.stats;
  boost::json::object o{
      {"scenario", "chat-" + r.scenario},
      {"peer", r.peer},
      {"target", r.target},
      {"connections", r.connections},
      {"threads", r.threads},
      {"rooms", r.rooms},
      {"members", r.members},
      {"publishers", r.publishers},
      {"duration_s", r.duration_s},
      {"rate", r.rate},
      {"throughput_per_s", throughput(r)},
      {"latency_ms", latency_json(primary(r))},
      {"established", s.established},
      {"failed", s.failed},
      {"refused", s.refused},
      {"errors", s.errors},
      {"open_at_end", s.open_at_end},
      {"sent", s.sent},
      {"not_sent", s.not_sent},
      {"acks", s.acks},
      {"deliveries", s.deliveries},
      {"expected_deliveries", s.expected},
      {"client_cpu_cores", r.client_cpu},
      {"delivery_ms", latency_json(s.delivery)},
      {"ack_ms", latency_json(s.ack)},
      {"send_lag_ms", latency_json(s.send_lag)},
      {"ready_ms", latency_json(s.ready)},
      {"rss_before_kib", r.rss_before_kib},
      {"rss_ready_kib", r.rss_ready_kib},
      {"rss_end_kib", r.rss_end_kib},
      {"rss_per_connection_bytes", rss_per_connection_bytes(r)},
      {"first_error", s.first_error},
  };
  std::ofstream out(path, std::ios::trunc);
  out << boost::json::serialize(o) << "\n";
  if (!out) {
    fmt::print(stderr, "parley-bench: cannot write '{}'\n", path);
    return false;
  }
  return true;
}

}  // namespace parley::bench
