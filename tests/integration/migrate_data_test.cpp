// `parley migrate-data --to URL` (issue 12, item 6): a deployment made through the API (users,
// sessions, direct and group rooms, messages with a reply, an edit, a deletion, read markers)
// is copied into an empty target and verified; a server started on the copy answers exactly as
// the original did, and the tokens the original issued still work (sessions and signing keys
// moved too). Refused: while a server holds the data folder, into a target that is not empty,
// a bad --to. Into PostgreSQL when $PARLEY_TEST_POSTGRES is set (skipped otherwise).
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "chat_helpers.hpp"
#include "http_client.hpp"
#include "postgres_scratch.hpp"
#include "run_command.hpp"
#include "server_process.hpp"
#include "temp_dir.hpp"

namespace parley::it {
namespace {

using namespace chat;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

// What the API says about the deployment, as seen by its users: compared before and after.
struct Deployment {
  User ann, bob, cy;
  std::vector<std::string> rooms;
};

Deployment populate(HttpClient& c) {
  Deployment d{make_user(c, "ann"), make_user(c, "bob"), make_user(c, "cyd"), {}};
  const auto direct = str(open_direct(c, d.ann, d.bob), "id");
  const auto group = str(create_group(c, d.ann, "Team", {&d.bob, &d.cy}), "id");
  d.rooms = {direct, group};
  const auto first = send_text(c, d.ann, direct, "c1", "hello bob \xf0\x9f\x91\x8b");
  send_text(c, d.bob, direct, "c2", "hi ann");
  auto reply = post(c, "/v1/rooms/" + direct + "/messages", d.bob,
                    json::object{{"client_id", "c3"}, {"body", "re: hello"}, {"reply_to", str(first, "id")}});
  EXPECT_EQ(reply.result_int(), 201) << reply;
  for (int i = 0; i < 25; ++i) send_text(c, i % 2 ? d.cy : d.ann, group, "g" + std::to_string(i), "msg " + std::to_string(i));
  const auto edited = send_text(c, d.cy, group, "e1", "typo");
  EXPECT_EQ(patch(c, "/v1/messages/" + str(edited, "id"), d.cy, json::object{{"body", "fixed"}}).result_int(), 200);
  const auto gone = send_text(c, d.ann, group, "d1", "oops");
  EXPECT_EQ(del(c, "/v1/messages/" + str(gone, "id"), d.ann).result_int(), 204);
  EXPECT_EQ(post(c, "/v1/rooms/" + group + "/read", d.bob, json::object{{"seq", 10}}).result_int(), 204);
  // A second session for ann (a login).
  EXPECT_EQ(accounts::login(c, "ann", "correct horse 1").result_int(), 200);
  return d;
}

std::map<std::string, std::string> observe(HttpClient& c, const Deployment& d) {
  std::map<std::string, std::string> seen;
  for (const User* u : {&d.ann, &d.bob, &d.cy}) {
    seen[u->username + " me"] = json::serialize(body_json(get(c, "/v1/me", *u)));
    seen[u->username + " sessions"] = json::serialize(body_json(get(c, "/v1/auth/sessions", *u)));
  }
  for (const auto& r : d.rooms) {
    seen["room " + r] = json::serialize(room(c, d.ann, r));
    seen["messages " + r] = json::serialize(messages(c, d.ann, r, "after=0&limit=100"));
  }
  return seen;
}

void stop(ServerProcess& server) {
  server.send_signal(SIGTERM);
  ASSERT_EQ(server.wait_exit(15s), 0) << server.describe();
}

ServerOptions on_data(const fs::path& data, std::vector<std::string> extra = {}) {
  ServerOptions o = fast_server();
  o.data_dir = data;
  o.args.insert(o.args.end(), extra.begin(), extra.end());
  return o;
}

// The original deployment, stopped; what its users saw.
struct Original {
  TempDir data;
  Deployment d;
  std::map<std::string, std::string> seen;
};
std::unique_ptr<Original> make_original() {
  auto o = std::make_unique<Original>();
  ServerProcess server(on_data(o->data.path()));
  HttpClient c(server.port());
  o->d = populate(c);
  o->seen = observe(c, o->d);
  // While the server holds the folder, the copy is refused.
  TempDir elsewhere;
  auto busy = run_parley({"migrate-data", "--data", o->data.path().string(), "--to", (elsewhere.path() / "x").string()});
  EXPECT_EQ(busy.exit_code, 1) << busy.err;
  EXPECT_NE(busy.err.find("stop the server first"), std::string::npos) << busy.err;
  stop(server);
  EXPECT_NE(o->seen.at("messages " + o->d.rooms[1]).find("\"fixed\""), std::string::npos) << "the edit is seen";
  EXPECT_NE(o->seen.at("messages " + o->d.rooms[0]).find("re: hello"), std::string::npos) << "the reply is seen";
  return o;
}

void expect_copy_output(const CommandResult& r) {
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("done: 13 tables"), std::string::npos) << r.out;
  for (const auto* line : {"users: 3 rows copied", "rooms: 2 rows copied", "verified users: 3 rows, checksum ",
                           "verified signing_keys: 1 rows"})
    EXPECT_NE(r.err.find(line), std::string::npos) << line << " in\n" << r.err;
  EXPECT_EQ(r.err.find("MISMATCH"), std::string::npos) << r.err;
}

TEST(MigrateDataSqlite, ACopyServesExactlyWhatTheOriginalDid) {
  if (on_postgres()) GTEST_SKIP() << "the source is an embedded deployment: the SQLite run";
  const auto original = make_original();
  TempDir parent;
  const auto copy = parent.path() / "copy";
  auto r = run_parley({"migrate-data", "--data", original->data.path().string(), "--to", "sqlite:" + copy.string()});
  expect_copy_output(r);
  EXPECT_NE(r.err.find("messages: 30 rows copied"), std::string::npos) << r.err;

  // Into a target that now has data: refused, nothing touched.
  auto again = run_parley({"migrate-data", "--data", original->data.path().string(), "--to", copy.string()});
  EXPECT_EQ(again.exit_code, 2) << again.err;
  EXPECT_NE(again.err.find("not empty"), std::string::npos) << again.err;

  ServerProcess server(on_data(copy));
  HttpClient c(server.port());
  EXPECT_EQ(observe(c, original->d), original->seen);
  EXPECT_EQ(accounts::login(c, "bob", "correct horse 1").result_int(), 200);
  send_text(c, original->d.cy, original->d.rooms[1], "after-move", "still here");
}

TEST(MigrateDataSqlite, RefusesBadTargets) {
  if (on_postgres()) GTEST_SKIP() << "the source is an embedded deployment: the SQLite run";
  TempDir data;
  ASSERT_EQ(run_parley({"migrate", "up", "--data", data.path().string()}).exit_code, 0);
  for (const auto& to : std::vector<std::string>{"mysql://db/x", "sqlite:", data.path().string(), ""}) {
    SCOPED_TRACE(to);
    auto r = run_parley({"migrate-data", "--data", data.path().string(), "--to", to});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("--to"), std::string::npos) << r.err;
  }
  TempDir empty;
  auto none = run_parley({"migrate-data", "--data", (empty.path() / "nothing").string(), "--to", (empty.path() / "b").string()});
  EXPECT_EQ(none.exit_code, 1) << none.err;
  EXPECT_NE(none.err.find("no database"), std::string::npos) << none.err;
}

TEST(MigrateDataPostgres, ACopyIntoAnEmptyDatabaseServesExactlyWhatTheOriginalDid) {
  if (!postgres_server_url()) GTEST_SKIP() << "PARLEY_TEST_POSTGRES is not set";
  if (on_postgres()) GTEST_SKIP() << "the SQLite run runs it: the source is an embedded deployment";
  const auto original = make_original();
  PostgresScratch pg("migrate_data");
  auto r = run_parley({"migrate-data", "--data", original->data.path().string(), "--to", pg.url()});
  expect_copy_output(r);

  auto again = run_parley({"migrate-data", "--data", original->data.path().string(), "--to", pg.url()});
  EXPECT_EQ(again.exit_code, 2) << again.err;
  EXPECT_NE(again.err.find("not empty"), std::string::npos) << again.err;

  TempDir node_data;
  ServerProcess server(on_data(node_data.path(), {"--database", pg.url()}));
  HttpClient c(server.port());
  EXPECT_EQ(observe(c, original->d), original->seen);
  EXPECT_EQ(accounts::login(c, "bob", "correct horse 1").result_int(), 200);
  send_text(c, original->d.cy, original->d.rooms[1], "after-move", "still here");
}

}  // namespace
}  // namespace parley::it
