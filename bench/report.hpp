#pragma once
// Prints a run as human text (stdout) and, when asked, writes it as JSON with stable keys:
// scenario, target, connections, duration_s, requests, errors, non_2xx, throughput_per_s,
// latency_ms {p50, p90, p99, p999, max} (plus a few extras such as mode and connect_ms).
#include <string>

#include "run_stats.hpp"

namespace parley::bench {

struct Report {
  std::string scenario;   // "http" or "ws"
  std::string target;     // URL
  std::string mode;       // "closed-loop", "open-loop", "ws-rate", "ws-hold"
  int connections = 0;
  int threads = 0;
  double duration_s = 0;  // measured window, seconds
  double rate = 0;        // asked rate (0 = none)
  double client_cpu = 0;  // CPU time of parley-bench over the run / wall time (1.0 = one core)
  RunStats stats;
};

void print_report(const Report& r);
// Returns false (with a message on stderr) when the file cannot be written.
bool write_json_report(const Report& r, const std::string& path);

}  // namespace parley::bench
