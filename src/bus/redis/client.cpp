#include "bus/redis/client.hpp"

#include "bus/redis/connection.hpp"
#include "core/log.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <hiredis/hiredis.h>

namespace parley::bus::redis {

namespace asio = boost::asio;

struct Client::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& io, Endpoint ep, Options o) : io(io), endpoint(std::move(ep)), options(o), backoff(io) {}

  asio::io_context& io;
  Endpoint endpoint;
  Options options;
  asio::steady_timer backoff;
  std::shared_ptr<Connection> conn;
  bool running = false;
  std::uint64_t connects = 0;
  std::vector<std::function<void(bool)>> watchers;

  bool connected() const { return conn && conn->is_open(); }
  void notify(bool up) {
    for (auto& w : watchers) w(up);
  }

  // A PING now and then behind whatever is queued: a connection that stopped answering (fire and
  // forget commands have no deadline of their own) is found within ping_every + command_timeout.
  static asio::awaitable<void> keepalive(std::shared_ptr<Impl> self, std::shared_ptr<Connection> c) {
    asio::steady_timer tick(self->io);
    while (self->running && c->is_open()) {
      tick.expires_after(self->options.ping_every);
      co_await tick.async_wait(asio::as_tuple(asio::use_awaitable));
      if (!self->running || !c->is_open()) break;
      Result r = co_await call(*c, cmd("PING"), self->options.command_timeout);
      if (!r && r.error() == Error::timeout && c->is_open()) {
        log::warn("redis stopped answering; reconnecting", {{"host", self->endpoint.host}, {"port", self->endpoint.port}});
        c->close();
      }
    }
  }

  static asio::awaitable<void> run(std::shared_ptr<Impl> self) {
    auto delay = self->options.backoff.min;
    while (self->running) {
      auto c = co_await Connection::open(self->io, self->endpoint, self->options.connect_timeout);
      if (!self->running) break;
      if (c) {
        self->conn = c;
        ++self->connects;
        delay = self->options.backoff.min;
        log::info("redis connected", {{"host", self->endpoint.host}, {"port", self->endpoint.port}});
        self->notify(true);
        asio::co_spawn(self->io, keepalive(self, c), asio::detached);
        co_await c->wait_closed();
        self->conn.reset();
        if (!self->running) break;
        log::warn("redis connection lost", {{"host", self->endpoint.host}, {"port", self->endpoint.port}});
        self->notify(false);
      }
      self->backoff.expires_after(delay);
      co_await self->backoff.async_wait(asio::as_tuple(asio::use_awaitable));
      delay = std::min(delay * 2, self->options.backoff.max);
    }
  }
};

Client::Client(asio::io_context& io, Endpoint endpoint, Options options)
    : impl_(std::make_shared<Impl>(io, std::move(endpoint), options)) {}

Client::~Client() { stop(); }

void Client::start() {
  if (impl_->running) return;
  impl_->running = true;
  asio::co_spawn(impl_->io, Impl::run(impl_), asio::detached);
}

void Client::stop() {
  if (!impl_->running) return;
  impl_->running = false;
  impl_->backoff.cancel();
  if (impl_->conn) impl_->conn->close();  // watchers are not told: they may be going too
  impl_->conn.reset();
}

bool Client::connected() const { return impl_->connected(); }
void Client::on_state(std::function<void(bool)> fn) { impl_->watchers.push_back(std::move(fn)); }
std::uint64_t Client::connects() const { return impl_->connects; }
asio::io_context& Client::context() { return impl_->io; }

asio::awaitable<Result> Client::command(std::vector<std::string> args) {
  return command(std::move(args), impl_->options.command_timeout);
}

asio::awaitable<Result> Client::command(std::vector<std::string> args, std::chrono::milliseconds timeout) {
  auto conn = impl_->conn;
  if (!conn || !conn->is_open()) co_return std::unexpected(Error::disconnected);
  Result r = co_await call(*conn, args, timeout);
  if (!r && r.error() == Error::timeout && conn->is_open()) {
    log::warn("redis command timed out; reconnecting", {{"command", args.front()}});
    conn->close();
  }
  co_return r;
}

void Client::send(std::vector<std::string> args, std::move_only_function<void(Result)> done) {
  auto& io = impl_->io;
  using Done = std::move_only_function<void(Result)>;
  auto box = std::make_shared<Done>(std::move(done));
  auto finish = [&io, box](Result result) {
    if (*box) asio::post(io, [box, result = std::move(result)]() mutable { (*box)(std::move(result)); });
  };
  auto conn = impl_->conn;
  auto on_reply = [finish](const redisReply* r) {
    finish(r ? Result(to_reply(*r)) : Result(std::unexpected(Error::connection_lost)));
  };
  if (!conn || !conn->command(args, std::move(on_reply))) finish(std::unexpected(Error::disconnected));
}

asio::awaitable<Result> Client::eval(const Script& script, std::vector<std::string> keys, std::vector<std::string> args) {
  std::vector<std::string> argv = cmd("EVALSHA", script.sha1, keys.size());
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), args.begin(), args.end());
  Result r = co_await command(argv);
  if (!r || !r->is_error() || !r->str.starts_with("NOSCRIPT")) co_return r;
  auto load = cmd("SCRIPT", "LOAD", script.text);
  Result loaded = co_await command(load);
  if (!loaded || loaded->is_error()) co_return loaded;
  co_return co_await command(argv);
}

}  // namespace parley::bus::redis
