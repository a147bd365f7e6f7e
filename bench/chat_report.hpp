#pragma once
// The report of a chat scenario: human text on stdout, and JSON with stable keys
// (scenario, peer, target, connections, duration_s, rate, throughput_per_s, latency_ms{…}, …):
// throughput_per_s is deliveries/s (fanout), acks/s (sends) or connections held (idle), and
// latency_ms the delivery, ack or connect-to-ready latency accordingly.
#include <string>

#include "chat_stats.hpp"

namespace parley::bench {

struct ChatReport {
  std::string scenario;  // "fanout", "sends", "idle"
  std::string peer;      // "parley", "socketio"
  std::string target;
  int connections = 0;
  int threads = 0;
  int rooms = 0;
  int members = 0;
  int publishers = 0;
  double duration_s = 0;
  double rate = 0;
  double client_cpu = 0;
  long rss_before_kib = -1;  // idle: the server's VmRSS before the first connection
  long rss_ready_kib = -1;   // … once every connection is authenticated (after the warmup)
  long rss_end_kib = -1;     // … at the end of the hold
  ChatStats stats;
};

void print_chat_report(const ChatReport& r);
bool write_chat_json(const ChatReport& r, const std::string& path);

}  // namespace parley::bench
