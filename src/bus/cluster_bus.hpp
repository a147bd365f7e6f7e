#pragma once
// The hub across nodes. A node publishes through the ClusterBus instead of on its hub: each event
// is fanned out here and published once on its topic's Redis channel (`parley:t:{topic}`; room
// and user ids come from one generator, so one namespace serves both); the node subscribes to
// the channels of the topics its hub has subscribers for (Hub::on_topic) and fans what arrives
// out to them. Frames are opaque bytes: this knows no domain.
//
// Stored events (seq > 0) go through a Sequencer per topic, so the hub sees each seq once and in
// order, whatever order two nodes' publishes arrive in; a missing seq is fetched from the store
// (the `fetch` callback) after `gap_wait`, never skipped. The store is the truth, Redis only the
// fast path: every `check_every` (and right after every resubscription) one `heads` call compares
// the followed topics with the store's last seq and fetches what was missed (a publish lost with
// a node that died after its commit, or with Redis). While Redis is down the same check runs
// every `poll_every`: live delivery goes on by polling the store, and push comes back by itself
// once Redis does. Events without a seq (typing, receipts, user events) cross nodes only over
// Redis (at most once); a node ignores its own coming back.
//
// Threads: publish() from any thread; everything else runs on `io` (the Redis client's context).
// Destroy it after `io` has stopped running.
#include "bus/hub.hpp"
#include "bus/redis/client.hpp"
#include "bus/redis/subscriber.hpp"
#include "bus/sequencer.hpp"
#include "core/metrics.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace parley::bus {

class ClusterBus {
 public:
  // The stored events of `topic` with after < seq <= up_to, ascending, complete (frames built);
  // may return fewer (a page), never ones outside the range. Throws when the store fails.
  using Fetch = std::function<boost::asio::awaitable<std::vector<Event>>(std::int64_t topic, std::int64_t after,
                                                                         std::int64_t up_to)>;
  // The last seq of each of `topics` that is a stored topic (absent: not one, e.g. a user).
  using Heads = std::function<boost::asio::awaitable<std::unordered_map<std::int64_t, std::int64_t>>(
      std::vector<std::int64_t> topics)>;

  struct Options {
    std::string node;  // this node's id (no spaces); random when empty
    std::chrono::milliseconds gap_wait{50};
    std::chrono::milliseconds check_every{5000};
    std::chrono::milliseconds poll_every{500};
    // A backlog longer than this is not fanned out: only its last event is, and each subscriber
    // behind reads the rest from the store at its own pace.
    std::int64_t max_catchup = 1000;
    redis::Subscriber::Options subscriber;
  };

  ClusterBus(boost::asio::io_context& io, Hub& hub, redis::Client& client, const redis::Endpoint& endpoint,
             Fetch fetch, Heads heads, metrics::Registry& registry, Options options);
  ~ClusterBus();
  ClusterBus(const ClusterBus&) = delete;
  ClusterBus& operator=(const ClusterBus&) = delete;

  // Starts the subscriber and the checks (the client is started by its owner).
  void start();
  void stop();

  // Any thread; for a stored event, in its commit order (the writer's after_commit).
  void publish(Event event);

  const std::string& node() const { return node_; }
  static std::string channel(std::int64_t topic);
  // On `io`'s thread (for tests and /metrics):
  bool push_mode() const;
  std::size_t followed() const { return topics_.size(); }
  const Sequencer* sequencer(std::int64_t topic) const;
  redis::Subscriber& subscriber() { return subscriber_; }

 private:
  struct Topic {
    enum class Kind { unknown, stored, plain };
    Kind kind = Kind::unknown;
    Sequencer seq;
    bool fetching = false;
    std::chrono::steady_clock::time_point retry_at{};
    std::uint64_t generation = 0;  // tells a fetch that its topic was unfollowed and followed again
  };

  void follow(std::int64_t topic);
  void unfollow(std::int64_t topic);
  void handle(Event event, bool local);
  void deliver(const Event& event);
  void on_message(std::string_view channel, std::string_view payload);
  void apply_heads(const std::unordered_map<std::int64_t, std::int64_t>& heads, const std::vector<std::int64_t>& asked);
  void note_gap(std::int64_t topic);
  void kick_check();
  void kick_init(std::int64_t topic);
  void update_mode();
  boost::asio::awaitable<void> check_loop();
  boost::asio::awaitable<void> init_loop();
  boost::asio::awaitable<void> gap_loop();
  boost::asio::awaitable<void> fetch_range(std::int64_t topic);

  boost::asio::io_context& io_;
  Hub& hub_;
  redis::Client& client_;
  Fetch fetch_;
  Heads heads_;
  Options options_;
  std::string node_;
  redis::Subscriber subscriber_;
  bool running_ = false;
  std::unordered_map<std::int64_t, Topic> topics_;
  std::unordered_set<std::int64_t> gaps_;         // topics with a gap
  std::vector<std::int64_t> init_;                // topics whose head the store must give
  bool init_running_ = false, gap_running_ = false;
  bool check_again_ = false;
  std::uint64_t generations_ = 0;
  boost::asio::steady_timer check_timer_, gap_timer_;
  struct Metrics {
    metrics::Gauge &push, &poll, &redis_up;
    metrics::Counter &published, &received, &gaps_repaired, &fetched;
  } m_;
};

}  // namespace parley::bus
