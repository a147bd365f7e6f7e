// The authorization matrix over every route of docs/api/openapi.yaml: without a token, or with a
// forged or expired one, every authenticated operation is 401; a stranger reaching for another
// user's room, message or session learns nothing (404, as for what does not exist); a plain
// member is refused what only owners, admins or the sender may do (403); and none of those
// attempts changed anything. A route added to the reference without a row here fails the test.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>

#include <boost/json.hpp>

#include "chat_helpers.hpp"
#include "http_client.hpp"
#include "problem_assertions.hpp"
#include "server_process.hpp"

namespace parley::it {
namespace {

namespace json = boost::json;
namespace http = boost::beast::http;
using namespace chat;

// "METHOD /path" -> true when the operation needs a bearer token (no `security: []`).
std::map<std::string, bool> reference_operations() {
  std::ifstream in(std::string(PARLEY_SOURCE_DIR) + "/docs/api/openapi.yaml");
  std::map<std::string, bool> ops;
  const std::regex path_re(R"(^  (/[^ :]*):\s*$)"), method_re(R"(^    (get|post|put|patch|delete):\s*$)"),
      public_re(R"(^      security: \[\]\s*$)"), paths_re(R"(^paths:\s*$)"), top_re(R"(^\S)");
  std::string line, path, current;
  bool in_paths = false;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_match(line, paths_re)) {
      in_paths = true;
      continue;
    }
    if (in_paths && std::regex_search(line, top_re)) in_paths = false;
    if (!in_paths) continue;
    if (std::regex_match(line, m, path_re)) {
      path = m[1];
    } else if (std::regex_match(line, m, method_re)) {
      std::string method = m[1];
      for (char& ch : method) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      current = method + " " + path;
      ops[current] = true;
    } else if (!current.empty() && std::regex_match(line, public_re)) {
      ops[current] = false;
    }
  }
  return ops;
}

struct Row {
  std::string op;        // "METHOD /template"
  std::string body;      // a valid-looking JSON body ("" for none)
  unsigned stranger = 0;  // status for a user outside the room; 0 = the operation is about oneself
  unsigned member = 0;    // status for a plain member (not owner/admin/sender); 0 = allowed or n/a
};

// {id} and {user_id} filled for the operation's resource: Ann's group room, her message, her session.
struct Ids {
  std::string room, message, session, ann;
};

std::string fill(std::string tpl, const Ids& ids) {
  const auto put = [&tpl](const std::string& key, const std::string& value) {
    if (auto at = tpl.find(key); at != std::string::npos) tpl.replace(at, key.size(), value);
  };
  if (tpl.find("/v1/messages/{id}") != std::string::npos) put("{id}", ids.message);
  if (tpl.find("/v1/auth/sessions/{id}") != std::string::npos) put("{id}", ids.session);
  if (tpl.find("/v1/users/{id}") != std::string::npos) put("{id}", ids.ann);
  put("{id}", ids.room);
  put("{user_id}", ids.ann);
  return tpl;
}

const std::vector<Row>& matrix() {
  static const std::vector<Row> rows = {
      {"POST /v1/auth/verify-email/resend", "", 0, 0},
      {"POST /v1/auth/email-change/request", R"({"new_email":"x@example.com","password":"correct horse 1"})", 0, 0},
      {"POST /v1/auth/logout", "", 0, 0},
      {"GET /v1/auth/sessions", "", 0, 0},
      {"DELETE /v1/auth/sessions/{id}", "", 404, 404},
      {"POST /v1/auth/mfa/totp/enroll", "", 0, 0},
      {"POST /v1/auth/mfa/totp/activate", R"({"code":"000000"})", 0, 0},
      {"POST /v1/auth/mfa/totp/disable", R"({"password":"correct horse 1","code":"000000"})", 0, 0},
      {"GET /v1/me", "", 0, 0},
      {"PATCH /v1/me", R"({"bio":"x"})", 0, 0},
      {"DELETE /v1/me", R"({"password":"correct horse 1"})", 0, 0},
      {"GET /v1/users/{id}", "", 200, 200},  // public profiles
      {"GET /v1/users", "", 0, 0},
      {"GET /v1/me/export", "", 0, 0},
      {"POST /v1/rooms", R"({"kind":"group","name":"mine"})", 0, 0},
      {"GET /v1/rooms", "", 0, 0},
      {"POST /v1/rooms/join", R"({"code":"nosuchcode"})", 0, 0},
      {"GET /v1/rooms/{id}", "", 404, 200},
      {"GET /v1/rooms/{id}/members", "", 404, 200},
      {"POST /v1/rooms/{id}/members", "MEMBER_SELF", 404, 403},
      {"DELETE /v1/rooms/{id}/members/{user_id}", "", 404, 403},
      {"PATCH /v1/rooms/{id}/members/{user_id}", R"({"role":"member"})", 404, 403},
      {"POST /v1/rooms/{id}/code", "", 404, 403},
      {"POST /v1/rooms/{id}/read", R"({"seq":1})", 404, 204},
      {"POST /v1/rooms/{id}/delivered", R"({"seq":1})", 404, 204},
      {"GET /v1/rooms/{id}/messages", "", 404, 200},
      {"POST /v1/rooms/{id}/messages", R"({"client_id":"intruder-1","body":"hi"})", 404, 0},
      {"PATCH /v1/messages/{id}", R"({"body":"defaced"})", 404, 403},
      {"DELETE /v1/messages/{id}", "", 404, 403},
      {"POST /v1/messages/{id}/view", "", 404, 0},
      {"GET /v1/rooms/{id}/presence", "", 404, 200},
  };
  return rows;
}

// Routes answered elsewhere: the WebSocket (its own auth tests) and the dev-only pages.
const std::set<std::string> kCoveredElsewhere = {"GET /v1/ws"};

Response call_op(HttpClient& c, const Row& row, const Ids& ids, const std::string& token, const std::string& self_id) {
  const auto space = row.op.find(' ');
  const std::string method = row.op.substr(0, space);
  const std::string target = fill(row.op.substr(space + 1), ids);
  std::string body = row.body == "MEMBER_SELF" ? R"({"user_id":")" + self_id + R"("})" : row.body;
  Headers h;
  if (!token.empty()) h.emplace_back("Authorization", "Bearer " + token);
  if (!body.empty()) h.emplace_back("Content-Type", "application/json");
  return c.request(http::string_to_verb(method), target, body, h);
}

TEST(HardeningAuthz, EveryRouteOfTheReferenceIsInTheMatrix) {
  const auto ops = reference_operations();
  ASSERT_GT(ops.size(), 30u) << "the reference did not parse";
  std::set<std::string> rows;
  for (const auto& r : matrix()) rows.insert(r.op);
  for (const auto& [op, needs_auth] : ops) {
    if (!needs_auth || kCoveredElsewhere.contains(op)) continue;
    EXPECT_TRUE(rows.contains(op)) << op << " needs a row in the authorization matrix";
  }
  for (const auto& op : rows) EXPECT_TRUE(ops.contains(op) && ops.at(op)) << op << " is not an authenticated operation of the reference";
}

TEST(HardeningAuthz, NoTokenABadTokenAStrangerAndAPlainMemberAreRefusedAndChangeNothing) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  const User ann = make_user(c, "ann");
  const User bob = make_user(c, "bob");
  const User mallory = make_user(c, "mallory");
  Ids ids;
  ids.ann = ann.id;
  ids.room = str(create_group(c, ann, "ann's room", {&bob}), "id");
  ids.message = str(send_text(c, ann, ids.room, "m-1", "the original"), "id");
  const auto sessions = body_json(get(c, "/v1/auth/sessions", ann));
  ids.session = str(sessions.at("items").as_array().at(0), "id");
  const auto room_before = room(c, ann, ids.room);

  // A token signed by nobody we know, and one with its signature bit-flipped.
  const std::string forged = "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIiwic2lkIjoiMSJ9.AAAA";
  std::string flipped = ann.token;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  for (const auto& row : matrix()) {
    SCOPED_TRACE(row.op);
    for (const std::string& token : {std::string(), forged, flipped}) {
      auto res = call_op(c, row, ids, token, mallory.id);
      EXPECT_EQ(res.result_int(), 401) << (token.empty() ? "no token" : "bad token") << ": " << res.body();
    }
    if (row.stranger) {
      auto res = call_op(c, row, ids, mallory.token, mallory.id);
      EXPECT_EQ(res.result_int(), row.stranger) << "stranger: " << res.body();
      if (row.stranger == 404) expect_problem(res, 404, "not_found");
    }
    if (row.member) {
      auto res = call_op(c, row, ids, bob.token, bob.id);
      EXPECT_EQ(res.result_int(), row.member) << "member: " << res.body();
    }
  }

  // Nothing changed: the message, the members and their roles, Ann's session.
  const auto page = messages(c, ann, ids.room, "after=0");
  ASSERT_EQ(page.at("items").as_array().size(), 1u) << json::serialize(page);
  const auto& m = page.at("items").as_array().at(0);
  EXPECT_EQ(str(m, "body"), "the original");
  EXPECT_FALSE(m.at("deleted").as_bool());
  const auto room_after = room(c, ann, ids.room);
  const auto roles = [](const json::object& r) {  // (user_id, role) of each member; Bob's own read marker may move
    std::set<std::pair<std::string, std::string>> out;
    for (const auto& m : r.at("members").as_array()) out.emplace(str(m, "user_id"), str(m, "role"));
    return out;
  };
  EXPECT_EQ(roles(room_after), roles(room_before));
  EXPECT_EQ(room_after.at("code"), room_before.at("code"));
  EXPECT_EQ(get(c, "/v1/me", ann).result_int(), 200) << "Ann's session still works";
}

}  // namespace
}  // namespace parley::it
