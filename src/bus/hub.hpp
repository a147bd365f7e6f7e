#pragma once
// The in-process event hub: topics (rooms, users) with subscribers that live on I/O threads.
// An event is serialized once by its publisher into an immutable shared frame; publish() hands
// it to each I/O thread that has subscribers of the topic (one post per thread), and there it
// reaches every local subscriber. Publishing never blocks on a subscriber and never waits for a
// slow one: what a subscriber does with a frame (queue it, drop the connection) is its business.
//
// Order: events of one topic published from one thread (the store's writer, in commit order) are
// delivered to every subscriber in that order. A subscriber registered after an event was
// published does not get it: subscribers catch up from the store, which is the truth.
#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace parley::bus {

using Frame = std::shared_ptr<const std::string>;

struct Event {
  std::int64_t topic = 0;
  std::int64_t seq = 0;      // the topic's sequence number; 0 for events that are not stored
  Frame frame;               // the complete text frame, shared by every recipient
  std::int64_t except = 0;   // a subscriber tag (user id) that must not get it; 0 = none
  // On a room's topic: this user's subscription ends (they left or were removed). On a user's
  // topic: the room whose subscription ends. 0 = none.
  std::int64_t revoke = 0;
  // On a user's topic: this session of the user ended (kAllSessions: every one), and `reason`
  // says why; the session's connections close. 0 = none.
  std::int64_t end_session = 0;
  std::string reason;
};
inline constexpr std::int64_t kAllSessions = -1;

class Subscriber {
 public:
  virtual ~Subscriber() = default;
  // Called on the subscriber's own thread. Must not block.
  virtual void deliver(const Event& event) = 0;
  // Events whose `except` equals this tag are not delivered (e.g. one's own typing signal).
  virtual std::int64_t tag() const { return 0; }
};

class Hub {
 public:
  Hub() = default;
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  // Called on `thread`'s own thread, the one that runs the subscriber's deliveries. Subscribing a
  // subscriber twice to a topic is a no-op, as is removing one that is not there.
  void subscribe(boost::asio::io_context& thread, std::int64_t topic, Subscriber* s);
  void unsubscribe(boost::asio::io_context& thread, std::int64_t topic, Subscriber* s);
  // Any thread.
  void publish(Event event);

  // Told when a topic gets its first subscriber (on any thread) and when it loses its last one,
  // in that order per topic (a cluster bus follows the topic elsewhere meanwhile). Called under
  // the hub's lock: it must be quick and must not call the hub. Set it before any subscription.
  using TopicHook = std::function<void(std::int64_t topic, bool followed)>;
  void on_topic(TopicHook hook) { hook_ = std::move(hook); }

  // Topics with at least one subscriber somewhere (for metrics and tests).
  std::size_t topics() const;
  std::uint64_t published() const;

 private:
  struct Shard {
    boost::asio::io_context* thread = nullptr;
    // Touched only on `thread`.
    std::unordered_map<std::int64_t, std::vector<Subscriber*>> local;
  };
  Shard& shard_of(boost::asio::io_context& thread);
  static void deliver_local(Shard& shard, const Event& event);

  mutable std::mutex mutex_;
  std::deque<Shard> shards_;  // stable addresses; lives as long as the hub
  std::unordered_map<std::int64_t, std::vector<Shard*>> topic_shards_;
  std::uint64_t published_ = 0;
  TopicHook hook_;
};

}  // namespace parley::bus
