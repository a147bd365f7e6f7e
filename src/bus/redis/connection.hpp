#pragma once
// One hiredis (0.14) asynchronous connection driven by an Asio io_context: hiredis's read/write
// hooks become async_wait on a dup() of its socket, and its handlers run on that context's thread
// (every member is called there). The host is resolved with Asio and hiredis connects to the IP
// (its own lookup would block). Used by Client and Subscriber, which reconnect; a Connection
// never does: once closed it stays closed.
#include "bus/redis/types.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <memory>

struct redisAsyncContext;
struct redisReply;

namespace parley::bus::redis {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using ReplyFn = std::move_only_function<void(const redisReply*)>;  // nullptr: the connection went
  using MessageFn = std::function<void(std::string_view channel, std::string_view payload)>;
  using ConfirmFn = std::function<void(std::string_view channel, bool subscribed)>;

  // Resolves, connects and says hello (AUTH, SELECT, PING) within `timeout`; nullptr on failure.
  static boost::asio::awaitable<std::shared_ptr<Connection>> open(boost::asio::io_context& io, const Endpoint& ep,
                                                                   std::chrono::milliseconds timeout);
  explicit Connection(boost::asio::io_context& io);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool is_open() const { return ac_ != nullptr; }
  // Queues a command (pipelined); `done` gets its reply, or nullptr if the connection goes
  // first. False (and `done` not called) when closed.
  bool command(const std::vector<std::string>& args, ReplyFn done);
  // Pub/sub mode: SUBSCRIBE / UNSUBSCRIBE; messages and confirmations go to the handlers.
  void on_pubsub(MessageFn message, ConfirmFn confirm);
  bool subscribe(const std::vector<std::string>& channels);
  bool unsubscribe(const std::vector<std::string>& channels);
  // Drops the connection now: pending replies get nullptr.
  void close();
  // Completes once the connection is closed (by either side).
  boost::asio::awaitable<void> wait_closed();

 private:
  bool attach(const char* ip, int port);
  bool send(const std::vector<std::string>& args, void (*fn)(redisAsyncContext*, void*, void*), void* priv);
  void want_read();
  void want_write();
  void cleanup();
  static void on_reply(redisAsyncContext* ac, void* reply, void* priv);
  static void on_pubsub_reply(redisAsyncContext* ac, void* reply, void* priv);

  redisAsyncContext* ac_ = nullptr;
  boost::asio::posix::stream_descriptor socket_;  // a dup() of hiredis's socket, for waiting only
  bool want_read_ = false, want_write_ = false, reading_ = false, writing_ = false;
  boost::asio::steady_timer closed_;  // cancelled when the connection closes
  MessageFn message_;
  ConfirmFn confirm_;
};

// A command on `c` with a deadline: the reply, or timeout / connection_lost / disconnected.
boost::asio::awaitable<Result> call(Connection& c, const std::vector<std::string>& args, std::chrono::milliseconds timeout);

// hiredis's reply as a value.
Reply to_reply(const redisReply& r);

}  // namespace parley::bus::redis
