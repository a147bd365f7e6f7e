#pragma once
// Shared pieces of the chat tests: users with their bearer headers, JSON calls, and the common
// room and message steps (each checks its own status).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "accounts_helpers.hpp"
#include "http_client.hpp"
#include "server_process.hpp"

namespace parley::it::chat {

namespace json = boost::json;

// A server with cheap password hashing.
using accounts::fast_server;  // cheap Argon2id settings

struct User {
  std::string id;
  std::string token;
  std::string username;
};

// Signs up `name` (name@example.com).
User make_user(HttpClient& c, const std::string& name);

// JSON calls with the user's bearer token; the body is serialized when given.
Response call(HttpClient& c, boost::beast::http::verb method, const std::string& target, const User& u,
              const json::value* body = nullptr);
Response get(HttpClient& c, const std::string& target, const User& u);
Response post(HttpClient& c, const std::string& target, const User& u, const json::value& body);
Response patch(HttpClient& c, const std::string& target, const User& u, const json::value& body);
Response del(HttpClient& c, const std::string& target, const User& u);

// Steps that must succeed (they EXPECT their status) and return the JSON body.
json::object open_direct(HttpClient& c, const User& me, const User& other, unsigned status = 201);
json::object create_group(HttpClient& c, const User& owner, const std::string& name,
                          const std::vector<const User*>& members = {});
json::object send_text(HttpClient& c, const User& u, const std::string& room, const std::string& client_id,
                       const std::string& body, unsigned status = 201);
json::object room(HttpClient& c, const User& u, const std::string& room_id);
// GET /v1/rooms/{id}/messages?<query>: the page.
json::object messages(HttpClient& c, const User& u, const std::string& room_id, const std::string& query = "");

std::string str(const json::value& v, std::string_view key);
std::int64_t num(const json::value& v, std::string_view key);
// The member entry of `user` in a room, or an empty object.
json::object member_of(const json::object& room, const User& user);
// seq of each item of a page, in order.
std::vector<std::int64_t> seqs(const json::object& page);

}  // namespace parley::it::chat
