#pragma once
// The pub/sub side of Redis: one dedicated connection (RESP2: a subscribed connection takes no
// other command) on one io_context (call every member on its thread).
// - subscribe/unsubscribe are reference-counted: SUBSCRIBE on the first reference, UNSUBSCRIBE
//   after the last one has been gone for `unsubscribe_grace` (a room followed again meanwhile
//   costs nothing).
// - After a reconnect every channel is subscribed again; once Redis has confirmed them all the
//   subscriber is ready again and says so (on_state(true), then on_resubscribed).
// - Liveness (centrifugo#1189, a connection that answers but receives nothing): after
//   `probe_after` without any traffic it publishes a probe on its own channel through the
//   command client; a probe not received within `probe_timeout` drops and remakes the connection.
#include "bus/redis/client.hpp"
#include "bus/redis/types.hpp"

#include <boost/asio/io_context.hpp>

#include <functional>
#include <memory>
#include <string>

namespace parley::bus::redis {

class Subscriber {
 public:
  struct Options {
    std::chrono::milliseconds connect_timeout{2000};
    Backoff backoff;
    std::chrono::milliseconds unsubscribe_grace{2000};
    std::chrono::milliseconds probe_after{5000};
    std::chrono::milliseconds probe_timeout{3000};
  };
  using MessageFn = std::function<void(std::string_view channel, std::string_view payload)>;

  // `probe` publishes the probes on `own_channel`, which this subscriber always follows (other
  // messages on it reach on_message like any).
  Subscriber(boost::asio::io_context& io, Endpoint endpoint, Client& probe, std::string own_channel, Options options);
  Subscriber(boost::asio::io_context& io, Endpoint endpoint, Client& probe, std::string own_channel)
      : Subscriber(io, std::move(endpoint), probe, std::move(own_channel), Options{}) {}
  ~Subscriber();  // stops
  Subscriber(const Subscriber&) = delete;
  Subscriber& operator=(const Subscriber&) = delete;

  void start();
  void stop();

  void on_message(MessageFn fn);
  // ready(): connected and every channel's subscription confirmed. Called on each change.
  void on_state(std::function<void(bool ready)> fn);
  // After each (re)connection, once every channel is subscribed again (right after on_state(true)).
  void on_resubscribed(std::function<void()> fn);
  // Redis confirmed the subscription of `channel` (also after a reconnect).
  void on_subscribed(std::function<void(std::string_view channel)> fn);

  void subscribe(const std::string& channel);
  void unsubscribe(const std::string& channel);

  bool ready() const;
  bool subscribed(const std::string& channel) const;  // confirmed by Redis on the current connection
  std::size_t channels() const;                       // with references, or in their grace
  std::uint64_t connects() const;
  std::uint64_t probes_failed() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace parley::bus::redis
