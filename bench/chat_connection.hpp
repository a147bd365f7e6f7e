#pragma once
// One WebSocket connection of a chat scenario: connect (from one of several local addresses),
// upgrade, authenticate, subscribe; a reader that times deliveries and acks and answers
// keep-alives; a writer with a bounded queue so the sender never blocks on a slow server.
#include <atomic>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "bench_clock.hpp"
#include "chat_cli.hpp"
#include "chat_protocol.hpp"
#include "chat_stats.hpp"

namespace parley::bench {

namespace asio = boost::asio;

enum class ChatRole { member, publisher, idle };

// Shared, read-only once the run starts.
struct ChatPlan {
  const ChatOptions* options = nullptr;
  const ChatProtocol* protocol = nullptr;
  asio::ip::tcp::endpoint endpoint;
  std::string host;          // Host header
  std::string target;        // upgrade request-target
  std::string client_tag;    // tells this run's client_ids from an earlier run's
  bool closed_loop = false;  // sends at --rate 0
  std::size_t ring_size = 16;
  std::size_t max_queue = 4096;  // frames queued on one connection before sends are refused
  std::atomic<long> established{0};
  std::atomic<long> failed{0};
  std::atomic<long> open{0};
};

// The scheduled send time of a connection's recent sends, by send number.
class AckRing {
 public:
  explicit AckRing(std::size_t size) : slots_(size) {}
  void put(std::uint64_t n, TimePoint at) { slots_[n & (slots_.size() - 1)] = {n, at}; }
  bool take(std::uint64_t n, TimePoint& at) {
    auto& s = slots_[n & (slots_.size() - 1)];
    if (s.n != n) return false;
    at = s.at;
    s.n = 0;
    return true;
  }

 private:
  struct Slot {
    std::uint64_t n = 0;
    TimePoint at;
  };
  std::vector<Slot> slots_;
};

struct ChatWindow {
  TimePoint start, measure_start, end;
  std::int64_t measure_start_ns = 0, end_ns = 0;  // the same, on the steady clock's epoch
  bool in(TimePoint t) const { return t >= measure_start && t < end; }
};

// Everything one I/O thread owns.
struct ChatThread {
  ChatStats stats;
  ChatWindow window;  // set (on this thread) when the load starts
  bool started = false;
};

struct ChatConn {
  enum class State { connecting, authed, joined, failed };
  ChatConn(asio::io_context& ctx, int i, std::size_t ring) : ws(ctx), signal(ctx), index(i), pending(ring) {}
  boost::beast::websocket::stream<asio::ip::tcp::socket> ws;
  boost::beast::flat_buffer buffer;
  asio::steady_timer signal;  // wakes the set-up coroutine when `state` changes
  int index;
  ChatRole role = ChatRole::idle;
  std::string room;           // member: subscribed to
  std::vector<std::string> send_rooms;  // publisher: message n goes to send_rooms[n % size]
  std::string token, user;
  std::string client_prefix;  // client_id = "<prefix>.<n>": unique per connection and run
  int room_members = 0;       // publisher: connections subscribed to each of its rooms
  State state = State::connecting;
  bool open = false;
  bool closing = false;       // we are closing: a read error is not the server's fault
  bool writing = false;
  std::deque<std::string> out;
  AckRing pending;
  std::uint64_t next_n = 1;
};

// Connects, authenticates and (members) subscribes before `deadline`; starts the reader.
asio::awaitable<bool> establish(ChatConn& c, ChatPlan& plan, ChatThread& th, TimePoint deadline);
// Sends message number c.next_n scheduled at `scheduled`; counts it when in the window.
void send_message(ChatConn& c, const ChatPlan& plan, ChatThread& th, TimePoint scheduled);
// Ends the connection: a closing handshake when nothing is being written, else a plain close.
void close_connection(ChatConn& c, ChatPlan& plan);

}  // namespace parley::bench
