#pragma once
// What one thread measured; threads merge theirs into one at the end of a run.
#include <cstdint>

#include "histogram.hpp"

namespace parley::bench {

struct RunStats {
  Histogram latency;              // per request / frame round trip, from the (scheduled) send time
  Histogram send_lag;             // open loop: wake-up lateness of sends whose connection was free at
                                  // the scheduled time (the generator's / machine's own delay)
  Histogram connect;              // TCP connect + (for ws) handshake
  std::uint64_t requests = 0;     // completed in the measured window (responses or replies)
  std::uint64_t non_2xx = 0;      // http: responses with a status outside 200..299
  std::uint64_t errors = 0;       // connect/read/write failures, closed connections, protocol errors
  std::uint64_t sent = 0;         // ws: frames sent in the measured window
  std::uint64_t received = 0;     // ws: frames received in the measured window (any kind)
  std::uint64_t unfinished = 0;       // open loop: scheduled in the window, never sent or not answered within the grace
  std::uint64_t connects = 0;     // connections established (whole run)
  std::uint64_t open_at_end = 0;  // ws: connections open when the window closed

  void merge(const RunStats& o) {
    latency.merge(o.latency);
    send_lag.merge(o.send_lag);
    connect.merge(o.connect);
    requests += o.requests;
    non_2xx += o.non_2xx;
    errors += o.errors;
    sent += o.sent;
    received += o.received;
    unfinished += o.unfinished;
    connects += o.connects;
    open_at_end += o.open_at_end;
  }
};

}  // namespace parley::bench
