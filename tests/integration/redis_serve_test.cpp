// `parley serve --redis`: events reach sockets through the cluster bus; while Redis is down sends
// are still acknowledged and delivered, /readyz stays 200 and /metrics shows the poll mode; push
// comes back by itself when Redis does. (Cross-node tests need a shared store: PostgreSQL.)
#include <gtest/gtest.h>

#include <thread>

#include "../unit/redis_server.hpp"
#include "chat_helpers.hpp"
#include "gateway_helpers.hpp"
#include "metrics_text.hpp"

namespace parley::it {
namespace {

using namespace chat;
using namespace std::chrono_literals;

double metric(HttpClient& c, const std::string& name, const std::map<std::string, std::string>& labels = {}) {
  auto found = find_samples(parse_samples(c.get("/metrics").body()), name, labels);
  return found.empty() ? -1 : found.front().value;
}

bool eventually(const std::function<bool()>& pred, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

TEST(RedisServe, DeliversThroughTheClusterBusAndPollsWhileRedisIsDown) {
  testing_support::RedisServer redis;
  auto options = fast_server();
  options.args.insert(options.args.end(), {"--redis", redis.url()});
  ServerProcess server(options);
  HttpClient c(server.port());
  auto ann = make_user(c, "ann");
  auto bob = make_user(c, "bob");
  const std::string room = str(open_direct(c, ann, bob), "id");
  ASSERT_TRUE(eventually([&] { return metric(c, "parley_bus_mode", {{"mode", "push"}}) == 1; }, 5s))
      << server.describe();
  EXPECT_EQ(metric(c, "parley_redis_connected"), 1);

  GatewayClient bob_ws(server.port(), bob);
  bob_ws.subscribe(room, 0);
  send_text(c, ann, room, "c1", "over redis");
  EXPECT_EQ(bob_ws.collect_seqs(room, 1, 3s), (std::vector<std::int64_t>{1}));
  EXPECT_GE(metric(c, "parley_bus_published_total"), 1);

  redis.kill();
  ASSERT_TRUE(eventually([&] { return metric(c, "parley_bus_mode", {{"mode", "poll"}}) == 1; }, 5s));
  EXPECT_EQ(metric(c, "parley_redis_connected"), 0);
  EXPECT_EQ(c.get("/readyz").result_int(), 200u);
  send_text(c, ann, room, "c2", "while redis is down");  // acknowledged
  EXPECT_EQ(bob_ws.collect_seqs(room, 2, 3s), (std::vector<std::int64_t>{2}));

  redis.start();
  EXPECT_TRUE(eventually([&] { return metric(c, "parley_bus_mode", {{"mode", "push"}}) == 1; }, 6s));
  send_text(c, ann, room, "c3", "push again");
  EXPECT_EQ(bob_ws.collect_seqs(room, 3, 3s), (std::vector<std::int64_t>{3}));
}

TEST(RedisServe, RefusesARedisUrlItCannotUse) {
  auto options = fast_server();
  options.args.insert(options.args.end(), {"--redis", "rediss://127.0.0.1:1"});  // no TLS in hiredis 0.14
  options.wait_ready = false;
  ServerProcess server(options);
  EXPECT_EQ(server.wait_exit(10s), 2) << server.describe();
  EXPECT_TRUE(server.wait_for_msg("cannot use the Redis URL")) << server.describe();
}

}  // namespace
}  // namespace parley::it
