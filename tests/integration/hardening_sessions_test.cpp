// Issue 11, item 2: an intruder cannot hide from the victim's sessions list.
//  - The list is paginated for real (limit 1–100, opaque `next`, ?cursor=): after 205 logins,
//    paging finds every session once, the caller's marked `current`.
//  - A login whose User-Agent is invalid UTF-8 (raw bytes on the socket) leaves the victim's
//    sessions list and export valid UTF-8 JSON, the bad bytes shown as U+FFFD; and so does such a
//    value already in the store (written there behind the server's back).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <csignal>
#include <set>
#include <string>

#include "accounts_helpers.hpp"
#include "http_client.hpp"
#include "problem_assertions.hpp"
#include "run_command.hpp"
#include "server_process.hpp"
#include "test_backend.hpp"

namespace parley::it {
namespace {

using namespace accounts;
namespace json = boost::json;

const std::string kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Strictly parsed: boost::json refuses invalid UTF-8 (overlongs, surrogates, stray bytes) unless
// told otherwise, so this fails on any body that is not valid UTF-8 JSON.
json::value strict_json(const Response& res) {
  json::parse_options strict;
  strict.allow_invalid_utf8 = false;
  boost::system::error_code ec;
  auto v = json::parse(res.body(), ec, {}, strict);
  EXPECT_FALSE(ec) << "not valid UTF-8 JSON (" << ec.message() << "): " << res.body();
  return v;
}

// Every session of the list, page after page, with `limit` per page.
std::vector<json::object> all_sessions(HttpClient& c, const std::string& token, int limit, int* pages = nullptr) {
  std::vector<json::object> out;
  std::string target = "/v1/auth/sessions?limit=" + std::to_string(limit);
  for (int page = 0; page < 1000; ++page) {
    auto res = c.get(target, bearer(token));
    EXPECT_EQ(res.result_int(), 200) << res;
    if (res.result_int() != 200) break;
    const auto body = strict_json(res).as_object();
    const auto& items = body.at("items").as_array();
    EXPECT_LE(items.size(), static_cast<std::size_t>(limit));
    for (const auto& it : items) out.push_back(it.as_object());
    if (pages) *pages = page + 1;
    if (body.at("next").is_null()) break;
    EXPECT_FALSE(items.empty()) << "a page with a next cursor must not be empty";
    target = "/v1/auth/sessions?limit=" + std::to_string(limit) + "&cursor=" + std::string(body.at("next").as_string());
  }
  return out;
}

TEST(HardeningSessions, PagingThroughTheListFindsEverySession) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto s = signup(c, "vic@example.com", "vic");
  const auto victim_token = str(s, "access_token");
  std::set<std::string> expected;
  for (int i = 0; i < 205; ++i) {  // an intruder signs in again and again to push his session out of sight
    auto l = login(c, "vic", "correct horse 1");
    ASSERT_EQ(l.result_int(), 200) << l;
  }
  // The victim's own session is the oldest: it must be on the last page, marked current.
  for (const int limit : {50, 100, 7}) {
    SCOPED_TRACE("limit " + std::to_string(limit));
    int pages = 0;
    const auto items = all_sessions(c, victim_token, limit, &pages);
    EXPECT_EQ(items.size(), 206u);
    EXPECT_EQ(pages, (206 + limit - 1) / limit);
    std::set<std::string> ids;
    int current = 0;
    for (const auto& o : items) {
      ids.insert(str(o, "id"));
      if (o.at("current").as_bool()) ++current;
    }
    EXPECT_EQ(ids.size(), 206u) << "a session appeared twice";
    EXPECT_EQ(current, 1);
    ASSERT_FALSE(items.empty());
    EXPECT_TRUE(items.back().at("current").as_bool()) << "newest sign-in first: the victim's own session is last";
  }
  // The default page is 50; the bounds are checked; a cursor must be one the server gave.
  auto first = c.get("/v1/auth/sessions", bearer(victim_token));
  ASSERT_EQ(first.result_int(), 200) << first;
  EXPECT_EQ(body_json(first).at("items").as_array().size(), 50u);
  EXPECT_TRUE(body_json(first).at("next").is_string());
  for (const auto* bad : {"0", "101", "-1", "ten", ""})
    expect_problem(c.get(std::string("/v1/auth/sessions?limit=") + bad, bearer(victim_token)), 422, "validation_failed");
  expect_problem(c.get("/v1/auth/sessions?cursor=bm9wZQ", bearer(victim_token)), 422, "validation_failed");
  expect_problem(c.get("/v1/auth/sessions?cursor=%%%", bearer(victim_token)), 400, "bad_request");
}

// A login over a raw socket, with the User-Agent bytes exactly as given.
Response raw_login(std::uint16_t port, const std::string& user_agent, const std::string& login_name) {
  const std::string body = json::serialize(json::object{{"login", login_name}, {"password", "correct horse 1"}});
  HttpClient raw(port);
  raw.connect();
  raw.send_raw("POST /v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: " + user_agent +
               "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
               "\r\nConnection: close\r\n\r\n" + body);
  return raw.read_response();
}

// Overlong '/', a lone surrogate, a stray continuation byte, a byte never valid, a truncated
// four-byte sequence at the very end.
const std::string kBadAgent = std::string("Evil\xC0\xAF" "Browser \xED\xA0\x80 \x80\xFF/1.0 \xF0\x9F\x8E");

void expect_scrubbed_agent(const json::array& sessions) {
  bool found = false;
  for (const auto& it : sessions) {
    const auto ua = std::string(it.as_object().at("user_agent").as_string());
    if (!ua.starts_with("Evil")) continue;
    found = true;
    EXPECT_NE(ua.find(kReplacement), std::string::npos) << ua;
    EXPECT_NE(ua.find("Browser"), std::string::npos) << ua;
    EXPECT_NE(ua.find("/1.0"), std::string::npos) << ua;
  }
  EXPECT_TRUE(found) << "the intruder's session is not listed";
}

TEST(HardeningSessions, AnInvalidUtf8UserAgentLeavesTheListAndExportValidJson) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto s = signup(c, "una@example.com", "una");
  const auto token = str(s, "access_token");

  auto intruder = raw_login(server.port(), kBadAgent, "una");
  ASSERT_EQ(intruder.result_int(), 200) << intruder;

  auto list = c.get("/v1/auth/sessions", bearer(token));
  ASSERT_EQ(list.result_int(), 200) << list;
  const auto listed = strict_json(list);
  ASSERT_TRUE(listed.is_object());
  expect_scrubbed_agent(listed.at("items").as_array());

  auto exported = c.get("/v1/me/export", bearer(token));
  ASSERT_EQ(exported.result_int(), 200) << exported;
  const auto doc = strict_json(exported);
  ASSERT_TRUE(doc.is_object());
  expect_scrubbed_agent(doc.at("sessions").as_array());

  // The victim can see the intruder's session, so she can end it.
  std::string intruder_id;
  for (const auto& it : listed.at("items").as_array())
    if (!it.as_object().at("current").as_bool()) intruder_id = str(it.as_object(), "id");
  ASSERT_FALSE(intruder_id.empty());
  EXPECT_EQ(c.request(boost::beast::http::verb::delete_, "/v1/auth/sessions/" + intruder_id, "", bearer(token)).result_int(), 204);
}

TEST(HardeningSessions, InvalidUtf8AlreadyInTheStoreIsNeverSentAsIs) {
  if (on_postgres()) GTEST_SKIP() << "PostgreSQL (UTF8 encoding) refuses invalid UTF-8 in a text column: it cannot be there";
  TempDir dir;
  std::string token;
  {
    ServerProcess server({.args = kFastHash, .data_dir = dir.path()});
    HttpClient c(server.port());
    token = str(signup(c, "ola@example.com", "ola"), "access_token");
    ASSERT_EQ(login(c, "ola", "correct horse 1").result_int(), 200);
    server.send_signal(SIGTERM);
    ASSERT_TRUE(server.wait_exit(std::chrono::seconds(15)).has_value());
  }
  // As an older version (or any bug) might have left it: raw bytes in a TEXT column.
  auto w = run_command({"/usr/bin/python3", "-c",
                        "import sqlite3, sys\n"
                        "db = sqlite3.connect(sys.argv[1])\n"
                        "db.execute(\"UPDATE sessions SET user_agent = CAST(X'4576696CC0AF42726F7773657220EDA08020FF2F312E30' AS TEXT)\")\n"
                        "db.commit()\n",
                        (dir.path() / "parley.db").string()});
  ASSERT_EQ(w.exit_code, 0) << w.err;

  ServerProcess server({.args = kFastHash, .data_dir = dir.path()});
  HttpClient c(server.port());
  auto list = c.get("/v1/auth/sessions", bearer(token));
  ASSERT_EQ(list.result_int(), 200) << list;
  expect_scrubbed_agent(strict_json(list).at("items").as_array());
  auto exported = c.get("/v1/me/export", bearer(token));
  ASSERT_EQ(exported.result_int(), 200) << exported;
  expect_scrubbed_agent(strict_json(exported).at("sessions").as_array());
}

}  // namespace
}  // namespace parley::it
