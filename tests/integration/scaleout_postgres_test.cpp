// Issue 12, failure behaviour on PostgreSQL: the database stops under a running server. Sends fail
// fast (a 503 store_unavailable, an error frame and never an ack), /readyz answers 503, and when
// the database returns everything recovers by itself: no restart, nothing acknowledged lost,
// nothing stored twice. Each test starts a PostgreSQL of its own (pg_process.hpp).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <chrono>
#include <set>
#include <string>
#include <thread>

#include "chat_helpers.hpp"
#include "gateway_helpers.hpp"
#include "http_client.hpp"
#include "pg_process.hpp"
#include "problem_assertions.hpp"
#include "server_process.hpp"
#include "test_backend.hpp"

namespace parley::it::chat {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Polls GET /readyz until it answers `status` (bounded); the time it took.
std::chrono::milliseconds until_ready_is(std::uint16_t port, unsigned status, std::chrono::seconds bound) {
  const auto start = Clock::now();
  while (Clock::now() - start < bound) {
    try {
      HttpClient c(port, 2s);
      if (c.get("/readyz").result_int() == status) return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    } catch (const std::exception&) {
    }
    std::this_thread::sleep_for(50ms);
  }
  ADD_FAILURE() << "/readyz did not answer " << status << " within " << bound.count() << " s";
  return std::chrono::duration_cast<std::chrono::milliseconds>(bound);
}

TEST(ScaleoutPostgres, WhenPostgresStopsSendsFailFastAndEverythingRecoversByItself) {
  if (on_postgres()) GTEST_SKIP() << "runs once, in the first pass: it starts a PostgreSQL of its own";
  PgProcess pg;
  ServerOptions o = fast_server();
  o.args.insert(o.args.end(), {"--database", pg.url()});
  ServerProcess server(o);
  HttpClient c(server.port());
  const User ann = make_user(c, "ann");
  const User bob = make_user(c, "bob");
  const std::string room = str(open_direct(c, ann, bob), "id");
  send_text(c, ann, room, "before", "hello");

  GatewayClient a(server.port(), ann);
  a.subscribe(room, 1);

  pg.stop();
  until_ready_is(server.port(), 503, 10s);

  // A REST send: refused at once, with the code that says why.
  const auto t0 = Clock::now();
  const auto refused = post(c, "/v1/rooms/" + room + "/messages", ann, json::object{{"client_id", "during"}, {"body", "lost?"}});
  const auto took = Clock::now() - t0;
  expect_problem(refused, 503, "store_unavailable");
  EXPECT_FALSE(refused["Retry-After"].empty()) << refused;
  EXPECT_LT(took, 3s) << "a send must fail fast while the database is away";

  // A WebSocket send: an error frame naming it, and never an ack.
  a.send_message(room, "ws-during", "lost too?");
  const auto err = a.next("error");
  EXPECT_EQ(err.at("code").as_string(), "store_unavailable") << err;
  EXPECT_EQ(a.count("ack"), 0);

  pg.start();
  until_ready_is(server.port(), 200, 20s);

  // The same client ids again: each lands once. Each I/O thread's connection to PostgreSQL comes
  // back at its next read, at most 250 ms after its last failed attempt: until then a send may
  // still get store_unavailable, and the client sends again, as Retry-After says.
  Response first;
  for (int attempt = 0; attempt < 50; ++attempt) {
    first = post(c, "/v1/rooms/" + room + "/messages", ann, json::object{{"client_id", "during"}, {"body", "lost?"}});
    if (first.result_int() != 503) break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(first.result_int(), 201) << first;
  EXPECT_EQ(num(body_json(first), "seq"), 2);
  const auto again = send_text(c, ann, room, "during", "lost?", 200);
  EXPECT_EQ(num(again, "seq"), 2);
  json::object ack;
  for (int attempt = 0; attempt < 50 && ack.empty(); ++attempt) {
    a.send_message(room, "ws-during", "lost too?");
    for (auto f = a.next_frame(5s); f; f = a.next_frame(5s)) {
      const auto t = f->at("t").as_string();
      if (t == "ack") {
        ack = *f;
        break;
      }
      if (t == "error") {
        ASSERT_EQ(f->at("code").as_string(), "store_unavailable") << *f;
        std::this_thread::sleep_for(100ms);
        break;
      }
    }
  }
  EXPECT_EQ(ack.at("seq").as_int64(), 3) << ack;
  EXPECT_EQ(ack.at("client_id").as_string(), "ws-during") << ack;

  const auto page = messages(c, bob, room, "limit=50");
  EXPECT_EQ(seqs(page), (std::vector<std::int64_t>{3, 2, 1}));
  // A subscriber now replays all three, once each, in order.
  GatewayClient b(server.port(), bob);
  b.subscribe(room, 0);
  EXPECT_EQ(b.collect_seqs(room, 3, 10s), (std::vector<std::int64_t>{1, 2, 3}));
}

}  // namespace
}  // namespace parley::it::chat
