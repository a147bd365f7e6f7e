// Two nodes on one PostgreSQL database and one Redis (each its own data folder): a client on
// either node sees every seq of its room once and in order while both nodes write, also when
// Redis is killed and started again mid-stream (delivery polls the store meanwhile).
#include <gtest/gtest.h>

#include <thread>

#include "../unit/redis_server.hpp"
#include "accounts_helpers.hpp"
#include "chat_helpers.hpp"
#include "gateway_helpers.hpp"
#include "postgres_scratch.hpp"
#include "test_backend.hpp"

namespace parley::it {
namespace {

using namespace chat;
using namespace std::chrono_literals;

std::vector<std::int64_t> one_to(std::int64_t n) {
  std::vector<std::int64_t> v;
  for (std::int64_t i = 1; i <= n; ++i) v.push_back(i);
  return v;
}

struct TwoNodes {
  explicit TwoNodes(const std::string& name) : pg(name) {
    ServerOptions oa = fast_server(), ob = fast_server();
    for (auto* o : {&oa, &ob}) {
      o->args.insert(o->args.end(), {"--database", pg.url(), "--redis", redis.url()});
      o->wait_ready = false;
    }
    a = std::make_unique<ServerProcess>(oa);
    b = std::make_unique<ServerProcess>(ob);
    a->wait_ready();
    b->wait_ready();
  }
  testing_support::RedisServer redis;
  PostgresScratch pg;
  std::unique_ptr<ServerProcess> a, b;
};

// `n` sends by `u` into `room` through the node on `port`, client ids prefixed `tag`.
void send_many(std::uint16_t port, const User& u, const std::string& room, const std::string& tag, int n) {
  HttpClient c(port);
  for (int i = 0; i < n; ++i) send_text(c, u, room, tag + std::to_string(i), tag + " " + std::to_string(i));
}

TEST(RedisCluster, EveryClientSeesEverySeqOnceInOrderWhileBothNodesWrite) {
  if (!postgres_server_url()) GTEST_SKIP() << "PARLEY_TEST_POSTGRES is not set";
  if (on_postgres()) GTEST_SKIP() << "the SQLite run runs it (it names its database itself)";
  TwoNodes nodes("cluster_order");
  HttpClient ca(nodes.a->port());
  auto ann = make_user(ca, "ann");
  auto bob = make_user(ca, "bob");
  const std::string room = str(open_direct(ca, ann, bob), "id");
  GatewayClient bob_on_b(nodes.b->port(), bob);
  GatewayClient bob_on_a(nodes.a->port(), bob);
  bob_on_b.subscribe(room, 0);
  bob_on_a.subscribe(room, 0);
  std::thread on_a([&] { send_many(nodes.a->port(), ann, room, "a", 40); });
  std::thread on_b([&] { send_many(nodes.b->port(), bob, room, "b", 40); });  // bob's token works on b
  on_a.join();
  on_b.join();
  EXPECT_EQ(bob_on_b.collect_seqs(room, 80, 10s), one_to(80)) << nodes.b->describe();
  EXPECT_EQ(bob_on_a.collect_seqs(room, 80, 10s), one_to(80)) << nodes.a->describe();
}

TEST(RedisCluster, RedisRestartedMidStreamLosesNothing) {
  if (!postgres_server_url()) GTEST_SKIP() << "PARLEY_TEST_POSTGRES is not set";
  if (on_postgres()) GTEST_SKIP() << "the SQLite run runs it (it names its database itself)";
  TwoNodes nodes("cluster_redis_restart");
  HttpClient ca(nodes.a->port());
  auto ann = make_user(ca, "ann");
  auto bob = make_user(ca, "bob");
  const std::string room = str(open_direct(ca, ann, bob), "id");
  GatewayClient bob_on_b(nodes.b->port(), bob);
  bob_on_b.subscribe(room, 0);
  send_many(nodes.a->port(), ann, room, "x", 10);
  EXPECT_EQ(bob_on_b.collect_seqs(room, 10, 5s), one_to(10));
  nodes.redis.kill();
  // Redis down: sends on a are acknowledged; b polls them out of the store, each within 1.5 s.
  for (int i = 11; i <= 14; ++i) {
    send_text(ca, ann, room, "y" + std::to_string(i), "during the outage");
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(bob_on_b.collect_seqs(room, i, 3s), (std::vector<std::int64_t>{i}));
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 1500ms);
  }
  nodes.redis.start();
  std::thread writer([&] { send_many(nodes.a->port(), ann, room, "z", 20); });  // across the return
  writer.join();
  EXPECT_EQ(bob_on_b.collect_seqs(room, 34, 10s), [] {
    std::vector<std::int64_t> v;
    for (std::int64_t i = 15; i <= 34; ++i) v.push_back(i);
    return v;
  }());
}

// What concerns a user reaches their connections on every node: a new membership, a removal
// from a room, the end of their session.
TEST(RedisCluster, UserEventsReachTheUsersConnectionsOnOtherNodes) {
  if (!postgres_server_url()) GTEST_SKIP() << "PARLEY_TEST_POSTGRES is not set";
  if (on_postgres()) GTEST_SKIP() << "the SQLite run runs it (it names its database itself)";
  TwoNodes nodes("cluster_user_events");
  HttpClient ca(nodes.a->port());
  auto ann = make_user(ca, "ann");
  auto bob = make_user(ca, "bob");
  GatewayClient bob_on_b(nodes.b->port(), bob);
  const auto direct = str(open_direct(ca, ann, bob), "id");  // on a
  EXPECT_EQ(bob_on_b.next("added").at("room").as_string(), direct);
  const auto group_id = str(create_group(ca, ann, "plans", {&bob}), "id");
  EXPECT_EQ(bob_on_b.next("added").at("room").as_string(), group_id);
  bob_on_b.subscribe(group_id, 0);
  ASSERT_EQ(del(ca, "/v1/rooms/" + group_id + "/members/" + bob.id, ann).result_int(), 204);
  EXPECT_EQ(bob_on_b.next("unsubscribed").at("room").as_string(), group_id);
  // Signing out on a closes the session's socket on b at once (not at the next re-check).
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(ca.request(boost::beast::http::verb::post, "/v1/auth/logout", "", accounts::bearer(bob.token)).result_int(), 204);
  EXPECT_EQ(bob_on_b.ws.wait_for_close_code(5s), 4401);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
}

}  // namespace
}  // namespace parley::it
