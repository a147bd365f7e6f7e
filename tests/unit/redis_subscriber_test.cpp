// The Redis subscriber against a real redis-server: messages, reference counting, coming back
// after Redis restarts or kills the connection, and the probe that catches a silent connection.
#include "bus/redis/subscriber.hpp"
#include "redis_server.hpp"
#include "tcp_freeze_proxy.hpp"

#include <gtest/gtest.h>

namespace parley::bus::redis {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using testing_support::eventually;
using testing_support::RedisServer;
using testing_support::run_coro;
using testing_support::sleep_for;

struct Fixture {
  explicit Fixture(Subscriber::Options o = fast(), std::string sub_url = {})
      : client(io, parse_url(server.url())),
        sub(io, parse_url(sub_url.empty() ? server.url() : sub_url), client, "parley:n:test", o) {
    sub.on_message([this](std::string_view ch, std::string_view p) { got.emplace_back(ch, p); });
    sub.on_resubscribed([this] { ++resubscribed; });
  }
  static Subscriber::Options fast() {
    Subscriber::Options o;
    o.unsubscribe_grace = 150ms;
    return o;
  }
  void start() {
    client.start();
    sub.start();
  }
  std::string numsub(const std::string& ch) {
    auto r = server.admin({"PUBSUB", "NUMSUB", ch});
    return r.substr(r.find(',') + 1);
  }
  asio::awaitable<bool> roundtrip(const std::string& ch, const std::string& payload) {
    const auto before = got.size();
    auto publish = cmd("PUBLISH", ch, payload);
    co_await client.command(publish);
    co_return co_await eventually([&] {
      return got.size() > before && got.back() == std::pair<std::string, std::string>(ch, payload);
    }, 2s);
  }

  RedisServer server;
  asio::io_context io;
  Client client;
  Subscriber sub;
  std::vector<std::pair<std::string, std::string>> got;
  int resubscribed = 0;
};

TEST(RedisSubscriber, DeliversMessages) {
  Fixture f;
  f.sub.subscribe("parley:r:1");
  f.start();
  run_coro(f.io, [&]() -> asio::awaitable<void> {
    EXPECT_TRUE(co_await eventually([&] { return f.sub.ready() && f.client.connected(); }, 3s));
    EXPECT_TRUE(f.sub.subscribed("parley:r:1"));
    EXPECT_EQ(f.resubscribed, 1);
    EXPECT_TRUE(co_await f.roundtrip("parley:r:1", std::string("bin\0ary\r\n", 9)));
    EXPECT_TRUE(co_await f.roundtrip("parley:n:test", "to this node"));  // its own channel
    f.sub.subscribe("parley:r:2");  // while ready
    EXPECT_TRUE(co_await eventually([&] { return f.sub.subscribed("parley:r:2"); }, 2s));
    EXPECT_TRUE(co_await f.roundtrip("parley:r:2", "two"));
    auto other = cmd("PUBLISH", "parley:r:3", "not followed");
    co_await f.client.command(other);
    EXPECT_TRUE(co_await f.roundtrip("parley:r:1", "after"));
    for (const auto& [ch, p] : f.got) EXPECT_NE(ch, "parley:r:3");
  });
}

TEST(RedisSubscriber, CountsReferences) {
  Fixture f;
  f.start();
  run_coro(f.io, [&]() -> asio::awaitable<void> {
    EXPECT_TRUE(co_await eventually([&] { return f.sub.ready(); }, 3s));
    f.sub.subscribe("c");
    f.sub.subscribe("c");
    EXPECT_TRUE(co_await eventually([&] { return f.sub.subscribed("c"); }, 2s));
    EXPECT_EQ(f.numsub("c"), "1");
    f.sub.unsubscribe("c");
    co_await sleep_for(300ms);  // past the grace: one reference is left
    EXPECT_EQ(f.numsub("c"), "1");
    EXPECT_TRUE(co_await f.roundtrip("c", "still"));
    f.sub.unsubscribe("c");
    f.sub.subscribe("c");  // back within the grace: nothing was unsubscribed
    co_await sleep_for(300ms);
    EXPECT_EQ(f.numsub("c"), "1");
    f.sub.unsubscribe("c");
    EXPECT_EQ(f.numsub("c"), "1");  // the grace
    EXPECT_TRUE(co_await eventually([&] { return f.numsub("c") == "0"; }, 2s));
    EXPECT_EQ(f.sub.channels(), 0u);
    f.sub.unsubscribe("c");  // one too many: ignored
    f.sub.subscribe("c");
    EXPECT_TRUE(co_await eventually([&] { return f.numsub("c") == "1"; }, 2s));
  });
}

TEST(RedisSubscriber, ResubscribesAfterRedisRestarts) {
  Fixture f;
  f.sub.subscribe("parley:r:7");
  f.start();
  run_coro(f.io, [&]() -> asio::awaitable<void> {
    EXPECT_TRUE(co_await eventually([&] { return f.sub.ready() && f.client.connected(); }, 3s));
    f.server.kill();
    EXPECT_TRUE(co_await eventually([&] { return !f.sub.ready(); }, 3s));
    f.sub.subscribe("parley:r:8");  // while down: subscribed once it is back
    co_await sleep_for(1500ms);     // a few failed attempts (the backoff grows)
    f.server.start();
    const auto back = std::chrono::steady_clock::now();
    EXPECT_TRUE(co_await eventually([&] { return f.resubscribed == 2 && f.client.connected(); }, 5s));
    EXPECT_LT(std::chrono::steady_clock::now() - back, 5s);
    EXPECT_TRUE(f.sub.subscribed("parley:r:7"));
    EXPECT_TRUE(f.sub.subscribed("parley:r:8"));
    EXPECT_TRUE(co_await f.roundtrip("parley:r:7", "seven"));
    EXPECT_TRUE(co_await f.roundtrip("parley:r:8", "eight"));
  });
}

TEST(RedisSubscriber, ComesBackWhenRedisKillsTheConnection) {
  Fixture f;
  f.sub.subscribe("k");
  f.start();
  run_coro(f.io, [&]() -> asio::awaitable<void> {
    EXPECT_TRUE(co_await eventually([&] { return f.sub.ready() && f.client.connected(); }, 3s));
    EXPECT_EQ(f.server.admin({"CLIENT", "KILL", "TYPE", "pubsub"}), "1");
    EXPECT_TRUE(co_await eventually([&] { return f.resubscribed == 2; }, 5s));
    EXPECT_EQ(f.sub.connects(), 2u);
    EXPECT_TRUE(co_await f.roundtrip("k", "again"));
  });
}

TEST(RedisSubscriber, ProbeRemakesASilentConnection) {
  // The subscriber reaches Redis through a proxy that goes silent (centrifugo#1189: the connection
  // stays up, nothing arrives); the probe, published through the client, does not come back.
  Subscriber::Options o = Fixture::fast();
  o.probe_after = 300ms;
  o.probe_timeout = 300ms;
  RedisServer server;
  asio::io_context io;
  testing_support::TcpFreezeProxy proxy(io, server.port());
  Client client(io, parse_url(server.url()));
  Subscriber sub(io, parse_url("redis://127.0.0.1:" + std::to_string(proxy.port())), client, "parley:n:p", o);
  std::vector<std::string> got;
  sub.on_message([&](std::string_view, std::string_view p) { got.emplace_back(p); });
  sub.subscribe("room");
  client.start();
  sub.start();
  run_coro(io, [&]() -> asio::awaitable<void> {
    EXPECT_TRUE(co_await eventually([&] { return sub.ready() && client.connected(); }, 3s));
    co_await sleep_for(1000ms);  // idle: probes go out and come back
    EXPECT_EQ(sub.probes_failed(), 0u);
    EXPECT_EQ(sub.connects(), 1u);
    proxy.freeze();
    auto lost = cmd("PUBLISH", "room", "lost");
    co_await client.command(lost);  // at most once: Redis pub/sub drops it with the silent connection
    EXPECT_TRUE(co_await eventually([&] { return sub.probes_failed() == 1 && sub.connects() == 2 && sub.ready(); }, 3s));
    auto fresh = cmd("PUBLISH", "room", "fresh");
    co_await client.command(fresh);
    EXPECT_TRUE(co_await eventually([&] { return !got.empty() && got.back() == "fresh"; }, 2s));
    EXPECT_EQ(server.admin({"PUBSUB", "NUMSUB", "room"}), "room,1");  // the old one is gone
  });
}

}  // namespace
}  // namespace parley::bus::redis
