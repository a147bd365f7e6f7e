#include "report.hpp"

#include <cstdio>
#include <fstream>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/core.h>

namespace parley::bench {
namespace {

double ms(std::uint64_t ns) { return static_cast<double>(ns) / 1e6; }

double throughput(const Report& r) {
  return r.duration_s > 0 ? static_cast<double>(r.stats.requests) / r.duration_s : 0.0;
}

boost::json::object latency_json(const Histogram& h) {
  return {{"p50", ms(h.percentile(0.50))},  {"p90", ms(h.percentile(0.90))},
          {"p99", ms(h.percentile(0.99))},  {"p999", ms(h.percentile(0.999))},
          {"max", ms(h.max())},             {"mean", h.mean() / 1e6},
          {"count", h.count()}};
}

void print_latency(const char* label, const Histogram& h) {
  fmt::print("  {:<9} p50 {:.3f}  p90 {:.3f}  p99 {:.3f}  p99.9 {:.3f}  max {:.3f}  (ms, n={})\n", label,
             ms(h.percentile(0.50)), ms(h.percentile(0.90)), ms(h.percentile(0.99)), ms(h.percentile(0.999)),
             ms(h.max()), h.count());
}

}  // namespace

void print_report(const Report& r) {
  const auto& s = r.stats;
  fmt::print("{} {} ({}), {} connections, {} threads, {:.1f} s measured", r.scenario, r.target, r.mode,
             r.connections, r.threads, r.duration_s);
  if (r.rate > 0) fmt::print(", asked rate {:g}/s", r.rate);
  fmt::print(", client CPU {:.2f} cores\n", r.client_cpu);
  if (r.scenario == "http") {
    fmt::print("  requests  {}  ({:.0f} req/s)   non-2xx {}   errors {}", s.requests, throughput(r), s.non_2xx,
               s.errors);
    if (s.unfinished) fmt::print("   scheduled-but-unanswered {}", s.unfinished);
    fmt::print("\n");
  } else {
    fmt::print("  frames    sent {}  received {}  matched replies {}  ({:.0f}/s)   errors {}   open at end {}\n",
               s.sent, s.received, s.requests, throughput(r), s.errors, s.open_at_end);
    if (s.unfinished) fmt::print("  scheduled-but-unanswered {}\n", s.unfinished);
  }
  if (s.latency.count()) print_latency("latency", s.latency);
  if (s.send_lag.count()) print_latency("send lag", s.send_lag);
  if (s.connect.count()) print_latency("connect", s.connect);
  std::fflush(stdout);
}

bool write_json_report(const Report& r, const std::string& path) {
  const auto& s = r.stats;
  boost::json::object o{
      {"scenario", r.scenario},
      {"target", r.target},
      {"mode", r.mode},
      {"connections", r.connections},
      {"threads", r.threads},
      {"duration_s", r.duration_s},
      {"rate", r.rate},
      {"requests", s.requests},
      {"errors", s.errors},
      {"non_2xx", s.non_2xx},
      {"unfinished", s.unfinished},
      {"sent", s.sent},
      {"received", s.received},
      {"connects", s.connects},
      {"open_at_end", s.open_at_end},
      {"throughput_per_s", throughput(r)},
      {"client_cpu_cores", r.client_cpu},
      {"latency_ms", latency_json(s.latency)},
      {"connect_ms", latency_json(s.connect)},
      {"send_lag_ms", latency_json(s.send_lag)},
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
