#include "chat_helpers.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "accounts_helpers.hpp"

namespace parley::it::chat {

namespace http = boost::beast::http;

User make_user(HttpClient& c, const std::string& name) {
  auto s = accounts::signup(c, name + "@example.com", name);
  if (!s.contains("user")) return {};
  return {str(s.at("user"), "id"), str(s, "access_token"), name};
}

Response call(HttpClient& c, http::verb method, const std::string& target, const User& u, const json::value* body) {
  Headers h = accounts::bearer(u.token);
  if (body) h.emplace_back("Content-Type", "application/json");
  return c.request(method, target, body ? json::serialize(*body) : std::string(), h);
}

Response get(HttpClient& c, const std::string& target, const User& u) { return call(c, http::verb::get, target, u); }
Response post(HttpClient& c, const std::string& target, const User& u, const json::value& body) {
  return call(c, http::verb::post, target, u, &body);
}
Response patch(HttpClient& c, const std::string& target, const User& u, const json::value& body) {
  return call(c, http::verb::patch, target, u, &body);
}
Response del(HttpClient& c, const std::string& target, const User& u) { return call(c, http::verb::delete_, target, u); }

namespace {
json::object expect_json(const Response& res, unsigned status) {
  EXPECT_EQ(res.result_int(), status) << res;
  if (res.result_int() != status) return {};
  return body_json(res).as_object();
}
}  // namespace

json::object open_direct(HttpClient& c, const User& me, const User& other, unsigned status) {
  return expect_json(post(c, "/v1/rooms", me, json::object{{"kind", "direct"}, {"member", other.id}}), status);
}

json::object create_group(HttpClient& c, const User& owner, const std::string& name,
                          const std::vector<const User*>& members) {
  json::array ids;
  for (const auto* m : members) ids.push_back(json::value(m->id));
  return expect_json(post(c, "/v1/rooms", owner, json::object{{"kind", "group"}, {"name", name}, {"members", ids}}), 201);
}

json::object send_text(HttpClient& c, const User& u, const std::string& room, const std::string& client_id,
                       const std::string& body, unsigned status) {
  return expect_json(post(c, "/v1/rooms/" + room + "/messages", u, json::object{{"client_id", client_id}, {"body", body}}),
                     status);
}

json::object room(HttpClient& c, const User& u, const std::string& room_id) {
  return expect_json(get(c, "/v1/rooms/" + room_id, u), 200);
}

json::object messages(HttpClient& c, const User& u, const std::string& room_id, const std::string& query) {
  return expect_json(get(c, "/v1/rooms/" + room_id + "/messages" + (query.empty() ? "" : "?" + query), u), 200);
}

std::string str(const json::value& v, std::string_view key) {
  const auto* p = v.as_object().if_contains(key);
  if (!p || !p->is_string()) {
    ADD_FAILURE() << "no string " << key << " in " << json::serialize(v);
    return {};
  }
  return std::string(p->as_string());
}

std::int64_t num(const json::value& v, std::string_view key) {
  const auto* p = v.as_object().if_contains(key);
  if (!p || !p->is_int64()) {
    ADD_FAILURE() << "no integer " << key << " in " << json::serialize(v);
    return -1;
  }
  return p->as_int64();
}

json::object member_of(const json::object& room, const User& user) {
  const auto* members = room.if_contains("members");
  if (!members || !members->is_array()) return {};
  for (const auto& m : members->as_array())
    if (m.as_object().at("user_id").as_string() == user.id) return m.as_object();
  return {};
}

std::vector<std::int64_t> seqs(const json::object& page) {
  std::vector<std::int64_t> out;
  const auto* items = page.if_contains("items");
  if (!items) return out;
  for (const auto& m : items->as_array()) out.push_back(m.as_object().at("seq").as_int64());
  return out;
}

}  // namespace parley::it::chat
