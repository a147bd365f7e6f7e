// The cluster bus with a real redis-server and two nodes in one process (each its own hub, Redis
// client and bus); the store is an in-test event log behind the bus's fetch and heads callbacks.
#include "bus/cluster_bus.hpp"
#include "bus/cluster_wire.hpp"
#include "redis_server.hpp"

#include <gtest/gtest.h>

#include <map>

namespace parley::bus {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using testing_support::eventually;
using testing_support::RedisServer;
using testing_support::run_coro;
using testing_support::sleep_for;

// The store: each stored topic's events, seq 1..n.
struct EventLog {
  std::map<std::int64_t, std::vector<Event>> topics;
  int fetches = 0;

  Event append(std::int64_t topic) {
    auto& v = topics[topic];
    const auto seq = static_cast<std::int64_t>(v.size()) + 1;
    Event e{topic, seq, std::make_shared<const std::string>("frame " + std::to_string(topic) + "/" + std::to_string(seq))};
    v.push_back(e);
    return e;
  }
  ClusterBus::Fetch fetch() {
    return [this](std::int64_t topic, std::int64_t after, std::int64_t up_to) -> asio::awaitable<std::vector<Event>> {
      ++fetches;
      std::vector<Event> out;
      for (const auto& e : topics[topic])
        if (e.seq > after && e.seq <= up_to) out.push_back(e);
      co_return out;
    };
  }
  ClusterBus::Heads heads() {
    return [this](std::vector<std::int64_t> ids) -> asio::awaitable<std::unordered_map<std::int64_t, std::int64_t>> {
      std::unordered_map<std::int64_t, std::int64_t> out;
      for (auto id : ids)
        if (auto it = topics.find(id); it != topics.end()) out[id] = static_cast<std::int64_t>(it->second.size());
      co_return out;
    };
  }
};

struct Recorder : Subscriber {
  void deliver(const Event& e) override {
    seqs.push_back(e.seq);
    frames.push_back(e.frame ? *e.frame : std::string());
  }
  std::vector<std::int64_t> seqs;
  std::vector<std::string> frames;
};

std::vector<std::int64_t> range(std::int64_t from, std::int64_t to) {
  std::vector<std::int64_t> v;
  for (auto i = from; i <= to; ++i) v.push_back(i);
  return v;
}

ClusterBus::Options fast(std::string node) {
  ClusterBus::Options o;
  o.node = std::move(node);
  o.check_every = 5s;
  o.poll_every = 500ms;
  o.subscriber.unsubscribe_grace = 100ms;
  return o;
}

struct Node {
  Node(asio::io_context& io, const std::string& url, EventLog& log, ClusterBus::Options o)
      : client(io, redis::parse_url(url)),
        bus(io, hub, client, redis::parse_url(url), log.fetch(), log.heads(), registry, std::move(o)) {}
  void start() {
    client.start();
    bus.start();
  }
  double metric(const std::string& name) {
    const auto text = registry.render();
    const auto at = text.find("\n" + name + " ");
    return at == std::string::npos ? -1 : std::stod(text.substr(at + name.size() + 2));
  }
  metrics::Registry registry;
  Hub hub;
  redis::Client client;
  ClusterBus bus;
};

struct Cluster {
  Cluster(ClusterBus::Options a_opts = fast("a"), ClusterBus::Options b_opts = fast("b"))
      : a(io, server.url(), log, std::move(a_opts)), b(io, server.url(), log, std::move(b_opts)) {
    a.start();
    b.start();
  }
  // `node`'s hub gets a follower of `topic`, ready once the bus knows the topic's head.
  asio::awaitable<bool> follow(Node& node, std::int64_t topic, Recorder& r) {
    node.hub.subscribe(io, topic, &r);
    co_return co_await eventually([&] {
      const Sequencer* s = node.bus.sequencer(topic);
      return s && s->known() && !s->gap();
    }, 3s);
  }
  // Commit on `node`: into the log, then published as the writer's after_commit does.
  Event commit(Node& node, std::int64_t topic) {
    Event e = log.append(topic);
    node.bus.publish(e);
    return e;
  }
  asio::awaitable<bool> both_push() {
    co_return co_await eventually([&] { return a.bus.push_mode() && b.bus.push_mode(); }, 5s);
  }

  RedisServer server;
  asio::io_context io;
  EventLog log;
  Node a, b;
};

TEST(ClusterBus, HubTellsWhenATopicIsFollowed) {
  asio::io_context io;
  Hub hub;
  std::vector<std::pair<std::int64_t, bool>> seen;
  hub.on_topic([&](std::int64_t t, bool f) { seen.emplace_back(t, f); });
  Recorder r1, r2;
  hub.subscribe(io, 5, &r1);
  hub.subscribe(io, 5, &r2);
  hub.unsubscribe(io, 5, &r1);
  hub.unsubscribe(io, 5, &r2);
  hub.unsubscribe(io, 5, &r2);
  EXPECT_EQ(seen, (std::vector<std::pair<std::int64_t, bool>>{{5, true}, {5, false}}));
}

TEST(ClusterBus, DeliversAcrossNodesInOrderOnce) {
  Cluster c;
  Recorder on_a, on_b;
  c.log.topics[10];  // a stored topic, empty
  run_coro(c.io, [&]() -> asio::awaitable<void> {
    CO_ASSERT_TRUE(co_await c.both_push());
    CO_ASSERT_TRUE(co_await c.follow(c.a, 10, on_a));
    CO_ASSERT_TRUE(co_await c.follow(c.b, 10, on_b));
    for (int i = 0; i < 200; ++i) c.commit(i % 3 ? c.a : c.b, 10);  // both nodes write
    EXPECT_TRUE(co_await eventually([&] { return on_a.seqs.size() >= 200 && on_b.seqs.size() >= 200; }, 5s));
    co_await sleep_for(100ms);
    EXPECT_EQ(on_a.seqs, range(1, 200));
    EXPECT_EQ(on_b.seqs, range(1, 200));
    EXPECT_EQ(on_b.frames.back(), "frame 10/200");
    EXPECT_GT(c.b.metric("parley_bus_received_total"), 0);
    EXPECT_GT(c.a.metric("parley_bus_published_total"), 0);
    EXPECT_EQ(c.a.metric("parley_bus_mode{mode=\"push\"}"), 1);
  });
}

TEST(ClusterBus, ReordersWhatArrivesOutOfOrder) {
  auto slow = fast("b");
  slow.gap_wait = 2s;  // no fetch can come first: the order is put right by the buffer alone
  Cluster c(fast("a"), slow);
  Recorder r;
  c.log.topics[11];
  run_coro(c.io, [&]() -> asio::awaitable<void> {
    CO_ASSERT_TRUE(co_await c.both_push());
    CO_ASSERT_TRUE(co_await c.follow(c.b, 11, r));
    const Event e1 = c.log.append(11), e2 = c.log.append(11), e3 = c.log.append(11);
    // Another node's publishes, as Redis delivers them: 3, 2, 1.
    for (const Event* e : {&e3, &e2, &e1}) {
      auto publish = redis::cmd("PUBLISH", ClusterBus::channel(11), wire::encode("other", *e));
      co_await c.a.client.command(publish);
    }
    EXPECT_TRUE(co_await eventually([&] { return r.seqs.size() == 3; }, 1s));
    EXPECT_EQ(r.seqs, range(1, 3));
    EXPECT_EQ(c.b.metric("parley_bus_fetched_events_total"), 0);
  });
}

TEST(ClusterBus, FetchesASeqWhosePublishWasLost) {
  Cluster c;
  Recorder r;
  c.log.topics[12];
  run_coro(c.io, [&]() -> asio::awaitable<void> {
    CO_ASSERT_TRUE(co_await c.both_push());
    CO_ASSERT_TRUE(co_await c.follow(c.b, 12, r));
    c.commit(c.a, 12);
    c.log.append(12);  // committed, its publish lost
    c.commit(c.a, 12);
    EXPECT_TRUE(co_await eventually([&] { return r.seqs.size() == 3; }, 2s));
    EXPECT_EQ(r.seqs, range(1, 3));
    EXPECT_EQ(c.b.metric("parley_bus_gaps_repaired_total"), 1);
    EXPECT_GE(c.b.metric("parley_bus_fetched_events_total"), 1);
  });
}

TEST(ClusterBus, IdleCheckFindsALostLastPublish) {
  auto quick = fast("b");
  quick.check_every = 300ms;
  Cluster c(fast("a"), quick);
  Recorder r;
  c.log.topics[13];
  run_coro(c.io, [&]() -> asio::awaitable<void> {
    CO_ASSERT_TRUE(co_await c.both_push());
    CO_ASSERT_TRUE(co_await c.follow(c.b, 13, r));
    c.commit(c.a, 13);
    c.log.append(13);  // the publisher died between its COMMIT and its PUBLISH: nothing follows
    EXPECT_TRUE(co_await eventually([&] { return r.seqs.size() == 2; }, 2s));
    EXPECT_EQ(r.seqs, range(1, 2));
  });
}

TEST(ClusterBus, ANewFollowerIsGivenTheLastEvent) {
  Cluster c;
  Recorder r;
  for (int i = 0; i < 5; ++i) c.log.append(14);
  run_coro(c.io, [&]() -> asio::awaitable<void> {
    CO_ASSERT_TRUE(co_await c.both_push());
    CO_ASSERT_TRUE(co_await c.follow(c.b, 14, r));
    // Its connections replay from the store; the last one is fanned out too, so one whose
    // replay ended before it (a commit raced it) sees a gap and reads again.
    EXPECT_EQ(r.seqs, (std::vector<std::int64_t>{5}));
    c.commit(c.a, 14);
    EXPECT_TRUE(co_await eventually([&] { return r.seqs.size() == 2; }, 2s));
    EXPECT_EQ(r.seqs.back(), 6);
  });
}

TEST(ClusterBus, UserTopicsAndEphemeralsCrossOnceAndNotBack) {
  Cluster c;
  Recorder on_a, on_b, room_b;
  c.log.topics[15];
  run_coro(c.io, [&]() -> asio::awaitable<void> {
    CO_ASSERT_TRUE(co_await c.both_push());
    c.a.hub.subscribe(c.io, 99, &on_a);  // a user's topic: not stored
    c.b.hub.subscribe(c.io, 99, &on_b);
    CO_ASSERT_TRUE(co_await c.follow(c.b, 15, room_b));
    EXPECT_TRUE(co_await eventually([&] {
      return c.a.bus.subscriber().subscribed(ClusterBus::channel(99)) && c.b.bus.subscriber().subscribed(ClusterBus::channel(99));
    }, 2s));
    c.a.bus.publish(Event{99, 0, std::make_shared<const std::string>("added"), 0, 15});
    c.a.bus.publish(Event{99, 0, nullptr, 0, 0, 1234, "signed_out"});
    c.a.bus.publish(Event{15, 0, std::make_shared<const std::string>("typing"), 7});
    EXPECT_TRUE(co_await eventually([&] { return on_b.frames.size() == 2 && room_b.frames.size() == 1; }, 2s));
    co_await sleep_for(200ms);
    EXPECT_EQ(on_a.frames, (std::vector<std::string>{"added", ""}));  // its own, once (not again from Redis)
    EXPECT_EQ(on_b.frames, (std::vector<std::string>{"added", ""}));
    EXPECT_EQ(room_b.frames, (std::vector<std::string>{"typing"}));
    c.b.hub.unsubscribe(c.io, 15, &room_b);
    EXPECT_TRUE(co_await eventually([&] { return c.b.bus.sequencer(15) == nullptr; }, 1s));
    EXPECT_TRUE(co_await eventually([&] { return c.server.admin({"PUBSUB", "NUMSUB", ClusterBus::channel(15)}) ==
                                                  ClusterBus::channel(15) + ",0"; }, 2s));
  });
}

TEST(ClusterBus, PollsTheStoreWhileRedisIsDownAndPushesWhenItIsBack) {
  Cluster c;
  Recorder r;
  c.log.topics[16];
  run_coro(c.io, [&]() -> asio::awaitable<void> {
    CO_ASSERT_TRUE(co_await c.both_push());
    CO_ASSERT_TRUE(co_await c.follow(c.b, 16, r));
    c.commit(c.a, 16);
    EXPECT_TRUE(co_await eventually([&] { return r.seqs.size() == 1; }, 2s));
    c.server.kill();
    EXPECT_TRUE(co_await eventually([&] { return !c.b.bus.push_mode(); }, 3s));
    EXPECT_EQ(c.b.metric("parley_bus_mode{mode=\"poll\"}"), 1);
    EXPECT_EQ(c.b.metric("parley_redis_connected"), 0);
    // Sends still commit; node b sees them by polling the store, each within 1.5 s.
    for (int i = 0; i < 3; ++i) {
      c.commit(c.a, 16);
      const auto t0 = std::chrono::steady_clock::now();
      EXPECT_TRUE(co_await eventually([&] { return r.seqs.size() == std::size_t(i + 2); }, 1500ms));
      EXPECT_LT(std::chrono::steady_clock::now() - t0, 1500ms);
    }
    co_await sleep_for(1s);
    c.server.start();
    const auto back = std::chrono::steady_clock::now();
    EXPECT_TRUE(co_await c.both_push());
    EXPECT_LT(std::chrono::steady_clock::now() - back, 5s);
    const double received = c.b.metric("parley_bus_received_total");
    c.commit(c.a, 16);
    EXPECT_TRUE(co_await eventually([&] { return r.seqs.size() == 5; }, 1s));
    EXPECT_EQ(r.seqs, range(1, 5));
    EXPECT_GT(c.b.metric("parley_bus_received_total"), received);  // by push again
    EXPECT_EQ(c.b.metric("parley_bus_mode{mode=\"push\"}"), 1);
  });
}

}  // namespace
}  // namespace parley::bus
