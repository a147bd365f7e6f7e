// The Redis command client against a real redis-server: replies, pipelining, scripts, AUTH and
// SELECT from the URL, failing fast while Redis is down and reconnecting when it is back.
#include "bus/redis/client.hpp"
#include "redis_server.hpp"

#include <boost/asio/detached.hpp>

#include <optional>

#include <gtest/gtest.h>

namespace parley::bus::redis {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using testing_support::eventually;
using testing_support::RedisServer;
using testing_support::run_coro;

asio::awaitable<Reply> ok(Client& c, std::vector<std::string> args) {
  Result r = co_await c.command(std::move(args));
  if (!r) throw std::runtime_error(std::string(to_string(r.error())));
  co_return std::move(*r);
}

TEST(RedisUrl, Parses) {
  auto a = parse_url("redis://example.org");
  EXPECT_EQ(a.host, "example.org");
  EXPECT_EQ(a.port, 6379);
  EXPECT_EQ(a.password, "");
  EXPECT_EQ(a.db, 0);
  auto b = parse_url("redis://:s%40cret@10.0.0.2:6380/4");
  EXPECT_EQ(b.host, "10.0.0.2");
  EXPECT_EQ(b.port, 6380);
  EXPECT_EQ(b.password, "s@cret");
  EXPECT_EQ(b.db, 4);
  EXPECT_EQ(parse_url("redis://user:pw@[::1]:7000").host, "::1");
  EXPECT_EQ(parse_url("redis://user:pw@h").password, "pw");
  EXPECT_THROW(parse_url("rediss://h"), std::invalid_argument);
  EXPECT_THROW(parse_url("http://h"), std::invalid_argument);
  EXPECT_THROW(parse_url("redis://h/x"), std::invalid_argument);
  EXPECT_THROW(parse_url("redis://"), std::invalid_argument);
}

TEST(RedisClient, CommandsAndReplyTypes) {
  RedisServer server;
  asio::io_context io;
  Client client(io, parse_url(server.url()));
  client.start();
  run_coro(io, [&]() -> asio::awaitable<void> {
    EXPECT_TRUE(co_await eventually([&] { return client.connected(); }, 3s));
    std::string binary("a\0b\r\nc", 6);
    Reply set = co_await ok(client, cmd("SET", "k", binary));
    EXPECT_EQ(set.type, Reply::Type::status);
    EXPECT_EQ(set.str, "OK");
    Reply get = co_await ok(client, cmd("GET", "k"));
    EXPECT_EQ(get.type, Reply::Type::string);
    EXPECT_EQ(get.str, binary);
    EXPECT_TRUE((co_await ok(client, cmd("GET", "missing"))).is_nil());
    Reply incr = co_await ok(client, cmd("INCRBY", "n", 41));
    EXPECT_EQ(incr.type, Reply::Type::integer);
    EXPECT_EQ(incr.integer, 41);
    Reply wrong = co_await ok(client, cmd("INCR", "k"));
    EXPECT_TRUE(wrong.is_error());
    co_await ok(client, cmd("RPUSH", "l", "x", "y"));
    Reply list = co_await ok(client, cmd("LRANGE", "l", 0, -1));
    CO_ASSERT_EQ(list.type, Reply::Type::array);
    CO_ASSERT_EQ(list.elements.size(), 2u);
    EXPECT_EQ(list.elements[1].str, "y");
  });
}

TEST(RedisClient, PipelinesInOrder) {
  RedisServer server;
  asio::io_context io;
  Client client(io, parse_url(server.url()));
  client.start();
  run_coro(io, [&]() -> asio::awaitable<void> {
    EXPECT_TRUE(co_await eventually([&] { return client.connected(); }, 3s));
    // 2000 commands in flight at once on one connection: replies come back in order.
    std::vector<long long> seen;
    constexpr int n = 2000;
    for (int i = 0; i < n; ++i)
      client.send(cmd("INCR", "counter"), [&seen](Result r) { seen.push_back(r ? r->integer : -1); });
    // And from many coroutines at once, with 64 KB values (more than one read of hiredis).
    int done = 0;
    const std::string big(64 * 1024, 'x');
    for (int i = 0; i < 20; ++i) {
      auto one = [&client, &done, &big, i]() -> asio::awaitable<void> {
        auto set = cmd("SET", "big" + std::to_string(i), big + std::to_string(i));
        co_await client.command(set);
        auto get = cmd("GET", "big" + std::to_string(i));
        Result r = co_await client.command(get);
        if (r && r->str == big + std::to_string(i)) ++done;
      };
      asio::co_spawn(io, one(), asio::detached);
    }
    EXPECT_TRUE(co_await eventually([&] { return seen.size() == n && done == 20; }, 10s));
    CO_ASSERT_EQ(seen.size(), std::size_t(n));
    for (int i = 0; i < n; ++i) CO_ASSERT_EQ(seen[i], i + 1);
  });
}

TEST(RedisClient, EvalLoadsTheScriptOnNoscript) {
  RedisServer server;
  asio::io_context io;
  Client client(io, parse_url(server.url()));
  client.start();
  const Script script("return redis.call('INCRBY', KEYS[1], ARGV[1])");
  EXPECT_EQ(script.sha1.size(), 40u);
  run_coro(io, [&]() -> asio::awaitable<void> {
    EXPECT_TRUE(co_await eventually([&] { return client.connected(); }, 3s));
    Result first = co_await client.eval(script, cmd("x"), cmd(5));  // not loaded yet: NOSCRIPT, load, run
    CO_ASSERT_TRUE(first);
    EXPECT_EQ(first->integer, 5);
    auto exists = cmd("SCRIPT", "EXISTS", script.sha1);
    EXPECT_EQ((co_await ok(client, exists)).elements.at(0).integer, 1);  // Redis knows it by our SHA-1
    Result second = co_await client.eval(script, cmd("x"), cmd(2));
    CO_ASSERT_TRUE(second);
    EXPECT_EQ(second->integer, 7);
  });
}

TEST(RedisClient, AuthAndSelectFromTheUrl) {
  RedisServer server({"--requirepass", "pa ss"});
  asio::io_context io;
  Client client(io, parse_url("redis://:pa%20ss@127.0.0.1:" + std::to_string(server.port()) + "/3"));
  Client wrong(io, parse_url("redis://:nope@127.0.0.1:" + std::to_string(server.port())));
  client.start();
  wrong.start();
  run_coro(io, [&]() -> asio::awaitable<void> {
    EXPECT_TRUE(co_await eventually([&] { return client.connected(); }, 3s));
    co_await ok(client, cmd("SET", "in3", "yes"));
    EXPECT_EQ(server.admin({"SELECT", "3"}), "OK");
    Reply info = co_await ok(client, cmd("CLIENT", "INFO"));
    EXPECT_NE(info.str.find(" db=3 "), std::string::npos) << info.str;
    EXPECT_FALSE(wrong.connected());  // AUTH refused: never connected
    Result r = co_await wrong.command(cmd("PING"));
    EXPECT_EQ(r.error(), Error::disconnected);
  });
}

TEST(RedisClient, FailsFastWhileDownAndReconnectsWhenBack) {
  RedisServer server;
  asio::io_context io;
  Client client(io, parse_url(server.url()));
  std::vector<bool> states;
  client.on_state([&](bool up) { states.push_back(up); });
  client.start();
  run_coro(io, [&]() -> asio::awaitable<void> {
    EXPECT_TRUE(co_await eventually([&] { return client.connected(); }, 3s));
    server.kill();
    EXPECT_TRUE(co_await eventually([&] { return !client.connected(); }, 3s));
    for (int i = 0; i < 5; ++i) {  // several reconnect attempts fail meanwhile; each command at once
      const auto t0 = std::chrono::steady_clock::now();
      Result r = co_await client.command(cmd("PING"));
      CO_ASSERT_TRUE(!r);
      EXPECT_EQ(r.error(), Error::disconnected);
      EXPECT_LT(std::chrono::steady_clock::now() - t0, 50ms);
      co_await testing_support::sleep_for(200ms);
    }
    server.start();
    const auto back = std::chrono::steady_clock::now();
    EXPECT_TRUE(co_await eventually([&] { return client.connected(); }, 5s));
    EXPECT_LT(std::chrono::steady_clock::now() - back, 5s);
    EXPECT_EQ((co_await ok(client, cmd("PING"))).str, "PONG");
    EXPECT_EQ(client.connects(), 2u);
  });
  EXPECT_EQ(states, (std::vector<bool>{true, false, true}));
}

TEST(RedisClient, TimeoutFailsTheCommandAndRemakesTheConnection) {
  RedisServer server;
  asio::io_context io;
  Client client(io, parse_url(server.url()));
  client.start();
  run_coro(io, [&]() -> asio::awaitable<void> {
    EXPECT_TRUE(co_await eventually([&] { return client.connected(); }, 3s));
    EXPECT_EQ(server.admin({"CLIENT", "PAUSE", "700", "ALL"}), "OK");
    const auto t0 = std::chrono::steady_clock::now();
    Result r = co_await client.command(cmd("GET", "x"), 150ms);
    CO_ASSERT_TRUE(!r);
    EXPECT_EQ(r.error(), Error::timeout);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 500ms);
    EXPECT_TRUE(co_await eventually([&] { return client.connects() == 2 && client.connected(); }, 5s));
    EXPECT_EQ((co_await ok(client, cmd("PING"))).str, "PONG");
  });
}

}  // namespace
}  // namespace parley::bus::redis

namespace parley::bus::redis {
namespace {

TEST(RedisClient, KeepaliveFindsAConnectionThatStoppedAnswering) {
  RedisServer server;
  asio::io_context io;
  Client::Options o;
  o.ping_every = 200ms;
  o.command_timeout = 200ms;
  Client client(io, parse_url(server.url()), o);
  client.start();
  run_coro(io, [&]() -> asio::awaitable<void> {
    EXPECT_TRUE(co_await eventually([&] { return client.connected(); }, 3s));
    EXPECT_EQ(server.admin({"CLIENT", "PAUSE", "800", "ALL"}), "OK");
    // Only fire-and-forget commands (no deadline of their own): the PING behind them notices.
    std::optional<Result> outcome;
    client.send(cmd("SET", "k", "v"), [&](Result r) { outcome = std::move(r); });
    EXPECT_TRUE(co_await eventually([&] { return outcome.has_value(); }, 2s));
    EXPECT_TRUE(outcome && !*outcome && outcome->error() == Error::connection_lost);
    EXPECT_TRUE(co_await eventually([&] { return client.connects() == 2 && client.connected(); }, 5s));
  });
}

}  // namespace
}  // namespace parley::bus::redis
