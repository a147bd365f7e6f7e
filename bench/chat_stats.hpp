#pragma once
// What the chat scenarios measure, per thread, merged at the end.
#include <cstdint>
#include <string>

#include "histogram.hpp"

namespace parley::bench {

struct ChatStats {
  Histogram delivery;   // fanout: receive time - scheduled send time carried in the message
  Histogram ack;        // sends (and fanout publishers): ack time - scheduled send time
  Histogram send_lag;   // open loop: how late the generator woke up for a scheduled send
  Histogram ready;      // connect → authenticated (→ subscribed, for members)
  std::uint64_t established = 0;   // connections authenticated (and subscribed) in the set-up
  std::uint64_t failed = 0;        // connections that failed to connect, authenticate or subscribe
  std::uint64_t refused = 0;       // of which refused at authentication
  std::uint64_t sent = 0;          // messages scheduled in the window and handed to the socket
  std::uint64_t not_sent = 0;      // scheduled in the window but the connection's queue was full or closed
  std::uint64_t acks = 0;          // acks of messages scheduled in the window
  std::uint64_t deliveries = 0;    // deliveries of messages scheduled in the window
  std::uint64_t expected = 0;      // deliveries the sent messages should have made
  std::uint64_t errors = 0;        // connections dropped during the run, error frames
  std::uint64_t open_at_end = 0;
  std::string first_error;         // the first error frame or failure, to tell what went wrong

  void note_error(std::string_view what) {
    if (first_error.empty()) first_error = std::string(what.substr(0, 300));
  }

  void merge(const ChatStats& o) {
    delivery.merge(o.delivery);
    ack.merge(o.ack);
    send_lag.merge(o.send_lag);
    ready.merge(o.ready);
    established += o.established;
    failed += o.failed;
    refused += o.refused;
    sent += o.sent;
    not_sent += o.not_sent;
    acks += o.acks;
    deliveries += o.deliveries;
    expected += o.expected;
    errors += o.errors;
    open_at_end += o.open_at_end;
    if (first_error.empty()) first_error = o.first_error;
  }
};

}  // namespace parley::bench
