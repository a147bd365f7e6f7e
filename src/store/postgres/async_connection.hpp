#pragma once
// One non-blocking PostgreSQL connection driven by an io_context (an I/O thread's): connected
// with PQconnectStart/PQconnectPoll, statements prepared once and then run in libpq's pipeline
// mode, so that every read a thread's coroutines issue travels back to back on one socket and
// the answers are matched in order. Nothing here blocks the thread. A lost connection fails the
// reads in flight with Error(unavailable) and is opened again by the next read (at most every
// 250 ms while PostgreSQL is away, failing reads at once in between).
#include <libpq-fe.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/value.hpp"

namespace parley::store::pg {

class AsyncConnection : public std::enable_shared_from_this<AsyncConnection> {
 public:
  AsyncConnection(boost::asio::io_context& io, std::string conninfo);
  ~AsyncConnection();
  AsyncConnection(const AsyncConnection&) = delete;
  AsyncConnection& operator=(const AsyncConnection&) = delete;

  // Runs one statement; must be awaited on this connection's io_context. Throws store::Error.
  boost::asio::awaitable<Rows> query(std::string_view sql, std::vector<Value> params);
  // Fails what is in flight and closes the socket (the io_context is going away).
  void shutdown();

 private:
  struct Request {
    std::string sql;
    std::vector<Value> params;
    Rows rows;
    std::exception_ptr error;
    int commands = 0;  // results still expected before the sync (a prepare, then the statement)
    bool statement_seen = false;
    std::move_only_function<void(std::exception_ptr)> done;
  };
  enum class State { disconnected, connecting, connected };

  void start(std::shared_ptr<Request> req);
  void send(const std::shared_ptr<Request>& req);
  void flush();
  boost::asio::awaitable<void> connect();
  boost::asio::awaitable<void> read_loop();
  boost::asio::awaitable<void> flush_loop();
  // Takes what libpq has parsed; false when the connection broke.
  bool take_results();
  void finish(const std::shared_ptr<Request>& req);
  void broken(std::string_view what);
  void rewrap_socket();

  boost::asio::io_context& io_;
  std::string conninfo_;
  PGconn* conn_ = nullptr;
  boost::asio::posix::stream_descriptor socket_;
  boost::asio::steady_timer watchdog_;
  State state_ = State::disconnected;
  std::exception_ptr last_error_;
  std::chrono::steady_clock::time_point last_attempt_{};
  bool reading_ = false, flushing_ = false;
  std::uint64_t epoch_ = 0;  // bumped when a connection breaks
  std::deque<std::shared_ptr<Request>> waiting_;   // queued while connecting
  std::deque<std::shared_ptr<Request>> in_flight_; // sent, answers pending, in order
  std::unordered_map<std::string, std::string> prepared_;
  std::uint64_t prepared_count_ = 0;
};

}  // namespace parley::store::pg
