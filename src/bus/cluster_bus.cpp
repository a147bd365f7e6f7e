#include "bus/cluster_bus.hpp"

#include "bus/cluster_wire.hpp"
#include "core/log.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fmt/format.h>

#include <charconv>
#include <random>

namespace parley::bus {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {
constexpr std::string_view kTopicPrefix = "parley:t:";
constexpr std::chrono::milliseconds kRetry{250};  // a fetch that found nothing new is tried again after

std::string random_node() {
  std::random_device rd;
  return fmt::format("{:08x}{:08x}", rd(), rd());
}
}  // namespace

ClusterBus::ClusterBus(asio::io_context& io, Hub& hub, redis::Client& client, const redis::Endpoint& endpoint,
                       Fetch fetch, Heads heads, metrics::Registry& registry, Options options)
    : io_(io),
      hub_(hub),
      client_(client),
      fetch_(std::move(fetch)),
      heads_(std::move(heads)),
      options_(std::move(options)),
      node_(options_.node.empty() ? random_node() : options_.node),
      subscriber_(io, endpoint, client, "parley:n:" + node_, options_.subscriber),
      check_timer_(io),
      gap_timer_(io),
      m_{registry.gauge("parley_bus_mode", "Cross-node delivery: 1 for the current mode (push over Redis, or poll of the store)", {"mode"}).with({"push"}),
         registry.gauge("parley_bus_mode", "", {"mode"}).with({"poll"}),
         registry.gauge("parley_redis_connected", "1 while the Redis command and subscriber connections are both up").with({}),
         registry.counter("parley_bus_published_total", "Events published on Redis").with({}),
         registry.counter("parley_bus_received_total", "Events received from other nodes over Redis").with({}),
         registry.counter("parley_bus_gaps_repaired_total", "Gaps in a topic's seqs closed from the store").with({}),
         registry.counter("parley_bus_fetched_events_total", "Stored events fetched to close gaps").with({})} {
  m_.poll.set(1);
  hub_.on_topic([this](std::int64_t topic, bool followed) {
    asio::post(io_, [this, topic, followed] { followed ? follow(topic) : unfollow(topic); });
  });
  subscriber_.on_message([this](std::string_view ch, std::string_view payload) { on_message(ch, payload); });
  subscriber_.on_subscribed([this](std::string_view ch) {
    if (!ch.starts_with(kTopicPrefix)) return;
    ch.remove_prefix(kTopicPrefix.size());
    std::int64_t topic = 0;
    auto [end, ec] = std::from_chars(ch.data(), ch.data() + ch.size(), topic);
    if (ec != std::errc{}) return;
    auto it = topics_.find(topic);
    if (it != topics_.end() && !it->second.seq.known() && it->second.kind != Topic::Kind::plain) kick_init(topic);
  });
  subscriber_.on_resubscribed([this] { kick_check(); });
  subscriber_.on_state([this](bool) { update_mode(); });
  client_.on_state([this](bool) { update_mode(); });
}

ClusterBus::~ClusterBus() {
  stop();
  hub_.on_topic({});
}

std::string ClusterBus::channel(std::int64_t topic) { return fmt::format("{}{}", kTopicPrefix, topic); }

void ClusterBus::start() {
  if (running_) return;
  running_ = true;
  subscriber_.start();
  asio::co_spawn(io_, check_loop(), asio::detached);
  update_mode();
}

void ClusterBus::stop() {
  if (!running_) return;
  running_ = false;
  check_timer_.cancel();
  gap_timer_.cancel();
  subscriber_.stop();
}

bool ClusterBus::push_mode() const { return client_.connected() && subscriber_.ready(); }

const Sequencer* ClusterBus::sequencer(std::int64_t topic) const {
  auto it = topics_.find(topic);
  return it == topics_.end() ? nullptr : &it->second.seq;
}

void ClusterBus::update_mode() {
  const bool push = push_mode();
  const bool was = m_.push.value() == 1;
  m_.push.set(push ? 1 : 0);
  m_.poll.set(push ? 0 : 1);
  m_.redis_up.set(push ? 1 : 0);
  if (was != push) {
    log::info(push ? "cluster bus: push over Redis" : "cluster bus: Redis unavailable, polling the store", {});
    kick_check();  // the next check now, at the new mode's pace from then on
  }
}

void ClusterBus::publish(Event event) {
  std::string payload = wire::encode(node_, event);
  asio::post(io_, [this, event = std::move(event), payload = std::move(payload)]() mutable {
    if (client_.connected()) {
      client_.send(redis::cmd("PUBLISH", channel(event.topic), payload));
      m_.published.inc();
    }
    handle(std::move(event), true);
  });
}

void ClusterBus::deliver(const Event& event) { hub_.publish(event); }

void ClusterBus::handle(Event event, bool local) {
  if (event.seq <= 0) {
    deliver(event);
    return;
  }
  auto it = topics_.find(event.topic);
  if (it == topics_.end()) {
    if (local) deliver(event);  // no follower here that we know of (one may be on its way)
    return;
  }
  Topic& t = it->second;
  if (t.kind == Topic::Kind::plain) {
    deliver(event);
    return;
  }
  const std::int64_t topic = event.topic;
  t.seq.offer(std::move(event), [this](const Event& e) { deliver(e); });
  if (t.seq.gap()) note_gap(topic);
}

void ClusterBus::on_message(std::string_view, std::string_view payload) {
  auto m = wire::decode(payload);
  if (!m) {
    log::warn("cluster bus: unreadable message", {{"bytes", payload.size()}});
    return;
  }
  if (m->origin == node_) return;  // delivered here when it was published
  m_.received.inc();
  handle(std::move(m->event), false);
}

void ClusterBus::follow(std::int64_t topic) {
  if (!running_) return;
  auto [it, fresh] = topics_.try_emplace(topic);
  if (!fresh) return;
  it->second.generation = ++generations_;
  const std::string ch = channel(topic);
  subscriber_.subscribe(ch);
  // The head comes from the store once Redis confirms the subscription (from then on nothing
  // published is missed); without Redis, or when the channel is still subscribed, right away.
  if (!subscriber_.ready() || subscriber_.subscribed(ch)) kick_init(topic);
}

void ClusterBus::unfollow(std::int64_t topic) {
  if (topics_.erase(topic) == 0) return;
  gaps_.erase(topic);
  subscriber_.unsubscribe(channel(topic));
}

// From the store: `heads` for the stored topics among `asked` (the others are plain topics).
void ClusterBus::apply_heads(const std::unordered_map<std::int64_t, std::int64_t>& heads,
                             const std::vector<std::int64_t>& asked) {
  auto fan_out = [this](const Event& e) { deliver(e); };
  for (std::int64_t id : asked) {
    auto it = topics_.find(id);
    if (it == topics_.end()) continue;
    Topic& t = it->second;
    auto h = heads.find(id);
    if (h == heads.end()) {
      if (t.kind == Topic::Kind::unknown) t.kind = Topic::Kind::plain;
      continue;
    }
    t.kind = Topic::Kind::stored;
    // A new follower starts one before the store's last seq: that last event is fetched and
    // fanned out, so a subscriber whose replay stopped short of it notices and reads the rest.
    if (!t.seq.known()) t.seq.start(std::max<std::int64_t>(h->second - 1, 0), fan_out);
    t.seq.saw_last(h->second);
    if (t.seq.gap()) note_gap(id);
  }
}

void ClusterBus::kick_init(std::int64_t topic) {
  init_.push_back(topic);
  if (init_running_) return;
  init_running_ = true;
  asio::co_spawn(io_, init_loop(), asio::detached);
}

asio::awaitable<void> ClusterBus::init_loop() {
  while (running_ && !init_.empty()) {
    std::vector<std::int64_t> ids;
    for (std::int64_t id : std::exchange(init_, {})) {
      auto it = topics_.find(id);
      if (it != topics_.end() && !it->second.seq.known() && it->second.kind != Topic::Kind::plain) ids.push_back(id);
    }
    if (ids.empty()) continue;
    std::unordered_map<std::int64_t, std::int64_t> heads;
    bool failed = false;
    try {
      heads = co_await heads_(ids);
    } catch (const std::exception& e) {
      failed = true;
      log::warn("cluster bus: reading heads failed", {{"error", e.what()}});
    }
    if (failed) break;  // the periodic check asks again
    apply_heads(heads, ids);
  }
  init_running_ = false;
}

void ClusterBus::kick_check() {
  check_again_ = true;
  check_timer_.cancel();
}

asio::awaitable<void> ClusterBus::check_loop() {
  while (running_) {
    if (!check_again_) {
      check_timer_.expires_after(push_mode() ? options_.check_every : options_.poll_every);
      co_await check_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
      if (!running_) break;
    }
    check_again_ = false;
    std::vector<std::int64_t> ids;
    for (const auto& [id, t] : topics_)
      if (t.kind != Topic::Kind::plain) ids.push_back(id);
    if (ids.empty()) continue;
    std::unordered_map<std::int64_t, std::int64_t> heads;
    bool failed = false;
    try {
      heads = co_await heads_(ids);
    } catch (const std::exception& e) {
      failed = true;
      log::warn("cluster bus: reading heads failed", {{"error", e.what()}});
    }
    if (!failed) apply_heads(heads, ids);
  }
}

void ClusterBus::note_gap(std::int64_t topic) {
  gaps_.insert(topic);
  if (gap_running_) return;
  gap_running_ = true;
  asio::co_spawn(io_, gap_loop(), asio::detached);
}

asio::awaitable<void> ClusterBus::gap_loop() {
  const auto tick = std::max(options_.gap_wait / 2, std::chrono::milliseconds(5));
  while (running_ && !gaps_.empty()) {
    gap_timer_.expires_after(tick);
    co_await gap_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (!running_) break;
    const auto now = Clock::now();
    for (auto id : std::vector<std::int64_t>(gaps_.begin(), gaps_.end())) {
      auto it = topics_.find(id);
      if (it == topics_.end() || !it->second.seq.gap()) {
        gaps_.erase(id);
        continue;
      }
      Topic& t = it->second;
      if (!t.fetching && now - t.seq.gap_since() >= options_.gap_wait && now >= t.retry_at) {
        t.fetching = true;
        asio::co_spawn(io_, fetch_range(id), asio::detached);
      }
    }
  }
  gap_running_ = false;
}

asio::awaitable<void> ClusterBus::fetch_range(std::int64_t topic) {
  auto fan_out = [this](const Event& e) { deliver(e); };
  const std::uint64_t generation = topics_.at(topic).generation;
  auto current = [&]() -> Topic* {
    auto it = topics_.find(topic);
    return it != topics_.end() && it->second.generation == generation ? &it->second : nullptr;
  };
  bool progress = true;
  while (progress && running_) {
    Topic* t = current();
    if (!t) co_return;  // unfollowed meanwhile
    auto range = t->seq.missing();
    if (!range) break;
    auto [after, up_to] = *range;
    const bool skip = up_to - after > options_.max_catchup;
    if (skip) after = up_to - 1;
    std::vector<Event> got;
    bool failed = false;
    try {
      got = co_await fetch_(topic, after, up_to);
    } catch (const std::exception& e) {
      failed = true;
      log::warn("cluster bus: fetching missed events failed", {{"topic", topic}, {"error", e.what()}});
    }
    t = current();
    if (!t) co_return;
    if (failed) break;
    if (skip) t->seq.skip_to(after, fan_out);
    m_.fetched.inc(static_cast<double>(got.size()));
    const std::int64_t before = t->seq.head();
    for (auto& e : got)
      if (e.topic == topic && e.seq > after && e.seq <= up_to) t->seq.offer(std::move(e), fan_out);
    progress = t->seq.head() > before;
  }
  Topic* t = current();
  if (!t) co_return;
  t->fetching = false;
  if (!t->seq.gap()) {
    m_.gaps_repaired.inc();
    gaps_.erase(topic);
  } else {
    t->retry_at = Clock::now() + kRetry;  // nothing new (not visible yet, or the store failed)
  }
}

}  // namespace parley::bus
