#pragma once
// A pipelined Redis command client on one io_context (call every member on its thread): many
// commands in flight on one connection, each with a deadline; reconnects with backoff and tells
// watchers when it is (dis)connected. While disconnected a command fails at once with
// Error::disconnected: nothing waits for Redis to come back.
#include "bus/redis/script.hpp"
#include "bus/redis/types.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <functional>
#include <memory>

namespace parley::bus::redis {

class Client {
 public:
  struct Options {
    std::chrono::milliseconds connect_timeout{2000};
    // A command without a reply by then fails with Error::timeout and the connection is dropped
    // (a reply that does not come means the connection is unusable) and made again.
    std::chrono::milliseconds command_timeout{2000};
    // A PING this often (then command_timeout for its answer) finds a connection gone silent.
    std::chrono::milliseconds ping_every{2000};
    Backoff backoff;
  };
  Client(boost::asio::io_context& io, Endpoint endpoint, Options options);
  Client(boost::asio::io_context& io, Endpoint endpoint) : Client(io, std::move(endpoint), Options{}) {}
  ~Client();  // stops
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Connects in the background, and again whenever the connection is lost, until stop().
  void start();
  void stop();  // on_state watchers are not called
  bool connected() const;
  // Called on every change of connected() (on the io_context's thread).
  void on_state(std::function<void(bool connected)> fn);
  std::uint64_t connects() const;  // connections made so far

  boost::asio::awaitable<Result> command(std::vector<std::string> args);
  boost::asio::awaitable<Result> command(std::vector<std::string> args, std::chrono::milliseconds timeout);
  // Fire and forget (no coroutine, no timer): `done`, if set, gets the outcome later, never inline.
  void send(std::vector<std::string> args, std::move_only_function<void(Result)> done = {});
  // EVALSHA; on NOSCRIPT the script is loaded (SCRIPT LOAD) and run again. `script` must outlive it.
  boost::asio::awaitable<Result> eval(const Script& script, std::vector<std::string> keys, std::vector<std::string> args);

  boost::asio::io_context& context();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace parley::bus::redis
