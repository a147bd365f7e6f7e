#include "bus/redis/subscriber.hpp"

#include "bus/redis/connection.hpp"
#include "core/log.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <deque>
#include <optional>
#include <unordered_map>

namespace parley::bus::redis {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {
constexpr std::string_view kProbe = "probe:";
constexpr std::size_t kBatch = 1000;  // channels per SUBSCRIBE when resubscribing
constexpr std::chrono::milliseconds kTick{100};
}  // namespace

struct Subscriber::Impl : std::enable_shared_from_this<Impl> {
  struct Channel {
    int refs = 0;
    bool confirmed = false;
    bool idle = false;  // no reference left; unsubscribed when its grace is over
    Clock::time_point idle_since{};
  };

  Impl(asio::io_context& io, Endpoint ep, Client& probe, std::string own, Options o)
      : io(io), endpoint(std::move(ep)), probe(probe), own(std::move(own)), options(o), backoff(io) {}

  asio::io_context& io;
  Endpoint endpoint;
  Client& probe;
  std::string own;
  Options options;
  asio::steady_timer backoff;
  std::shared_ptr<Connection> conn;
  bool running = false;
  bool is_ready = false;
  std::size_t awaiting = 0;  // confirmations due before ready
  std::unordered_map<std::string, Channel> channels;
  std::deque<std::pair<Clock::time_point, std::string>> idle;  // (idle_since, channel), oldest first
  Clock::time_point last_traffic{};
  std::optional<Clock::time_point> probe_sent;
  std::uint64_t probe_seq = 0, connects = 0, probes_failed = 0;
  MessageFn message;
  std::vector<std::function<void(bool)>> state_fns;
  std::vector<std::function<void()>> resubscribed_fns;
  std::vector<std::function<void(std::string_view)>> subscribed_fns;

  bool open() const { return conn && conn->is_open(); }

  void set_ready(bool up) {
    if (is_ready == up) return;
    is_ready = up;
    for (auto& f : state_fns) f(up);
    if (up)
      for (auto& f : resubscribed_fns) f();
  }

  void on_confirm(std::string_view channel, bool subscribed) {
    last_traffic = Clock::now();
    if (!subscribed) return;
    if (auto it = channels.find(std::string(channel)); it != channels.end()) it->second.confirmed = true;
    for (auto& f : subscribed_fns) f(channel);
    if (!is_ready && awaiting > 0 && --awaiting == 0) set_ready(true);
  }

  void on_message(std::string_view channel, std::string_view payload) {
    last_traffic = Clock::now();
    probe_sent.reset();
    if (channel == own && payload.starts_with(kProbe)) return;
    if (message) message(channel, payload);
  }

  void send_subscribe(std::vector<std::string> names) {
    if (names.empty() || !open()) return;
    if (!is_ready) awaiting += names.size();
    conn->subscribe(names);
  }

  // A fresh connection: every channel with references again (those in grace are let go).
  void resubscribe() {
    idle.clear();
    std::erase_if(channels, [](const auto& kv) { return kv.second.refs == 0; });
    std::vector<std::string> batch{own};
    for (auto& [name, ch] : channels) {
      ch.confirmed = false;
      batch.push_back(name);
      if (batch.size() == kBatch) send_subscribe(std::exchange(batch, {}));
    }
    send_subscribe(std::move(batch));
  }

  void sweep_idle(Clock::time_point now) {
    std::vector<std::string> drop;
    while (!idle.empty() && idle.front().first + options.unsubscribe_grace <= now) {
      auto [since, name] = std::move(idle.front());
      idle.pop_front();
      auto it = channels.find(name);
      if (it == channels.end() || !it->second.idle || it->second.idle_since != since) continue;
      channels.erase(it);
      drop.push_back(std::move(name));
    }
    if (!drop.empty() && open()) conn->unsubscribe(drop);
  }

  // The probe goes through the command client with a deadline: if the PUBLISH itself fails, the
  // command connection is at fault (and remade by the client), not this one.
  void send_probe(Clock::time_point now) {
    probe_sent = now;
    asio::co_spawn(io, probe_once(weak_from_this(), conn, std::string(kProbe) + std::to_string(++probe_seq)),
                   asio::detached);
  }
  static asio::awaitable<void> probe_once(std::weak_ptr<Impl> weak, std::shared_ptr<Connection> c, std::string token) {
    Client* client = nullptr;
    std::vector<std::string> args;
    std::chrono::milliseconds timeout{};
    if (auto self = weak.lock()) {
      client = &self->probe;
      args = cmd("PUBLISH", self->own, token);
      timeout = self->options.probe_timeout;
    }
    if (!client) co_return;
    Result r = co_await client->command(std::move(args), timeout);
    auto self = weak.lock();
    if (!self || self->conn != c || !self->probe_sent) co_return;
    if (!r || r->type != Reply::Type::integer) self->probe_sent.reset();  // inconclusive: try again later
    else if (r->integer == 0) self->probe_sent = Clock::time_point{};   // nobody listens on our channel: fail now
  }

  static asio::awaitable<void> watch(std::shared_ptr<Impl> self, std::shared_ptr<Connection> c) {
    asio::steady_timer tick(self->io);
    while (self->running && c->is_open()) {
      tick.expires_after(kTick);
      co_await tick.async_wait(asio::as_tuple(asio::use_awaitable));
      if (!self->running || !c->is_open()) break;
      const auto now = Clock::now();
      self->sweep_idle(now);
      if (self->probe_sent) {
        if (now - *self->probe_sent >= self->options.probe_timeout) {
          ++self->probes_failed;
          log::warn("redis subscription silent (probe not received); reconnecting", {{"channel", self->own}});
          c->close();
          break;
        }
      } else if (now - self->last_traffic >= self->options.probe_after && self->probe.connected()) {
        self->send_probe(now);
      }
    }
  }

  static asio::awaitable<void> run(std::shared_ptr<Impl> self) {
    auto delay = self->options.backoff.min;
    while (self->running) {
      auto c = co_await Connection::open(self->io, self->endpoint, self->options.connect_timeout);
      if (!self->running) break;
      if (c) {
        ++self->connects;
        delay = self->options.backoff.min;
        Impl* raw = self.get();  // the connection is closed before this Impl goes
        c->on_pubsub([raw](std::string_view ch, std::string_view p) { raw->on_message(ch, p); },
                     [raw](std::string_view ch, bool sub) { raw->on_confirm(ch, sub); });
        self->conn = c;
        self->awaiting = 0;
        self->last_traffic = Clock::now();
        self->probe_sent.reset();
        self->resubscribe();
        asio::co_spawn(self->io, watch(self, c), asio::detached);
        co_await c->wait_closed();
        self->conn.reset();
        for (auto& [name, ch] : self->channels) ch.confirmed = false;
        if (!self->running) break;
        log::warn("redis subscriber connection lost", {{"host", self->endpoint.host}, {"port", self->endpoint.port}});
        self->set_ready(false);
      }
      self->backoff.expires_after(delay);
      co_await self->backoff.async_wait(asio::as_tuple(asio::use_awaitable));
      delay = std::min(delay * 2, self->options.backoff.max);
    }
  }
};

Subscriber::Subscriber(asio::io_context& io, Endpoint endpoint, Client& probe, std::string own_channel, Options options)
    : impl_(std::make_shared<Impl>(io, std::move(endpoint), probe, std::move(own_channel), options)) {}

Subscriber::~Subscriber() { stop(); }

void Subscriber::start() {
  if (impl_->running) return;
  impl_->running = true;
  asio::co_spawn(impl_->io, Impl::run(impl_), asio::detached);
}

void Subscriber::stop() {
  if (!impl_->running) return;
  impl_->running = false;
  impl_->backoff.cancel();
  if (impl_->conn) impl_->conn->close();
  impl_->conn.reset();
  impl_->is_ready = false;  // watchers are not told: they may be going too
}

void Subscriber::on_message(MessageFn fn) { impl_->message = std::move(fn); }
void Subscriber::on_state(std::function<void(bool)> fn) { impl_->state_fns.push_back(std::move(fn)); }
void Subscriber::on_resubscribed(std::function<void()> fn) { impl_->resubscribed_fns.push_back(std::move(fn)); }
void Subscriber::on_subscribed(std::function<void(std::string_view)> fn) { impl_->subscribed_fns.push_back(std::move(fn)); }

void Subscriber::subscribe(const std::string& channel) {
  auto& ch = impl_->channels[channel];
  if (++ch.refs > 1) return;
  if (ch.idle) {  // still subscribed on Redis: its grace simply ends
    ch.idle = false;
    return;
  }
  impl_->send_subscribe({channel});
}

void Subscriber::unsubscribe(const std::string& channel) {
  auto it = impl_->channels.find(channel);
  if (it == impl_->channels.end() || it->second.refs == 0) return;
  if (--it->second.refs > 0) return;
  if (impl_->options.unsubscribe_grace.count() == 0) {
    impl_->channels.erase(it);
    if (impl_->open()) impl_->conn->unsubscribe({channel});
    return;
  }
  it->second.idle = true;
  it->second.idle_since = Clock::now();
  impl_->idle.emplace_back(it->second.idle_since, channel);
}

bool Subscriber::ready() const { return impl_->is_ready; }
bool Subscriber::subscribed(const std::string& channel) const {
  auto it = impl_->channels.find(channel);
  return it != impl_->channels.end() && it->second.confirmed && impl_->open();
}
std::size_t Subscriber::channels() const { return impl_->channels.size(); }
std::uint64_t Subscriber::connects() const { return impl_->connects; }
std::uint64_t Subscriber::probes_failed() const { return impl_->probes_failed; }

}  // namespace parley::bus::redis
