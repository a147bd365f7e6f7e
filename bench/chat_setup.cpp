#include "chat_setup.hpp"

#include <chrono>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>
#include <fmt/core.h>

#include "rest_client.hpp"

namespace parley::bench {
namespace {

namespace json = boost::json;

std::string string_at(const json::value& v, std::initializer_list<std::string_view> path) {
  const json::value* at = &v;
  for (auto key : path) {
    if (!at->is_object()) return {};
    at = at->as_object().if_contains(key);
    if (!at) return {};
  }
  return at->is_string() ? std::string(at->as_string()) : std::string{};
}

std::string describe(const RestResponse& r) {
  return fmt::format("{} {}", r.status, r.body.substr(0, 300));
}

// A tag that keeps this run's usernames, emails and client_ids apart from an earlier run's.
std::string run_tag() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return fmt::format("{:x}", std::chrono::duration_cast<std::chrono::milliseconds>(now).count() % 0xffffffffLL);
}

std::expected<ChatUser, std::string> sign_up(RestClient& rest, const ChatSetupOptions& o, const std::string& name) {
  const json::object body{{"email", name + "@bench.invalid"}, {"password", o.password}, {"username", name}};
  auto r = rest.call("POST", "/v1/auth/signup", json::serialize(body));
  if (!r) return std::unexpected(r.error());
  if (r->status != 201) return std::unexpected(fmt::format("POST /v1/auth/signup ({}): {}", name, describe(*r)));
  ChatUser u{string_at(r->json, {"user", "id"}), string_at(r->json, {"access_token"})};
  if (u.id.empty() || u.token.empty())
    return std::unexpected(fmt::format("POST /v1/auth/signup: no user.id or access_token in {}", r->body));
  return u;
}

std::size_t member_count(const json::value& room) {
  const auto* members = room.is_object() ? room.as_object().if_contains("members") : nullptr;
  return members && members->is_array() ? members->as_array().size() : 0;
}

// A group room with every user in it: created by user 0 with the others in `members`; when the
// answer shows fewer members (the server ignored or refused the list), the others join by code.
std::expected<ChatRoom, std::string> make_room(RestClient& rest, const std::vector<ChatUser>& users, int index) {
  json::array members;
  for (std::size_t i = 1; i < users.size(); ++i) members.emplace_back(users[i].id);
  const json::object body{{"kind", "group"}, {"name", fmt::format("bench room {}", index)}, {"members", members}};
  auto r = rest.call("POST", "/v1/rooms", json::serialize(body), users[0].token);
  if (!r) return std::unexpected(r.error());
  if (r->status != 201) return std::unexpected(fmt::format("POST /v1/rooms: {}", describe(*r)));
  ChatRoom room{string_at(r->json, {"id"}), string_at(r->json, {"code"})};
  if (room.id.empty()) return std::unexpected(fmt::format("POST /v1/rooms: no id in {}", r->body));
  if (member_count(r->json) >= users.size()) return room;
  if (room.code.empty()) return std::unexpected(fmt::format("POST /v1/rooms: members missing and no code in {}", r->body));
  const std::string join = json::serialize(json::object{{"code", room.code}});
  for (std::size_t i = 1; i < users.size(); ++i) {
    auto j = rest.call("POST", "/v1/rooms/join", join, users[i].token);
    if (!j) return std::unexpected(j.error());
    if (j->status != 200) return std::unexpected(fmt::format("POST /v1/rooms/join: {}", describe(*j)));
  }
  return room;
}

std::expected<void, std::string> post_history(RestClient& rest, const std::vector<ChatUser>& users,
                                              const ChatRoom& room, int count, const std::string& tag) {
  const std::string target = fmt::format("/v1/rooms/{}/messages", room.id);
  for (int k = 0; k < count; ++k) {
    const auto& user = users[static_cast<std::size_t>(k) % users.size()];
    const json::object body{{"client_id", fmt::format("pbh{}.{}", tag, k)},
                            {"body", fmt::format("history message {} of a parley-bench room, about eighty bytes long", k)}};
    auto r = rest.call("POST", target, json::serialize(body), user.token);
    if (!r) return std::unexpected(r.error());
    if (r->status != 201) return std::unexpected(fmt::format("POST {}: {}", target, describe(*r)));
  }
  return {};
}

}  // namespace

std::expected<ChatSetup, std::string> load_chat_setup(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::unexpected(fmt::format("--setup: cannot read '{}'", path));
  std::ostringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  const auto v = json::parse(text.str(), ec);
  if (ec || !v.is_object()) return std::unexpected(fmt::format("--setup '{}': not a JSON object", path));
  ChatSetup s;
  const auto* users = v.as_object().if_contains("users");
  const auto* rooms = v.as_object().if_contains("rooms");
  if (!users || !users->is_array() || !rooms || !rooms->is_array())
    return std::unexpected(fmt::format("--setup '{}': wants \"users\" and \"rooms\" arrays", path));
  for (const auto& u : users->as_array()) s.users.push_back({string_at(u, {"id"}), string_at(u, {"token"})});
  for (const auto& r : rooms->as_array()) s.rooms.push_back({string_at(r, {"id"}), string_at(r, {"code"})});
  if (s.users.empty()) return std::unexpected(fmt::format("--setup '{}': no users", path));
  return s;
}

std::expected<void, std::string> save_chat_setup(const ChatSetup& s, const std::string& path) {
  json::array users, rooms;
  for (const auto& u : s.users) users.push_back(json::object{{"id", u.id}, {"token", u.token}});
  for (const auto& r : s.rooms) rooms.push_back(json::object{{"id", r.id}, {"code", r.code}});
  std::ofstream out(path, std::ios::trunc);
  out << json::serialize(json::object{{"users", users}, {"rooms", rooms}}) << "\n";
  if (!out) return std::unexpected(fmt::format("cannot write '{}'", path));
  return {};
}

ChatSetup synthetic_chat_setup(const std::string& token, int users, int rooms) {
  ChatSetup s;
  for (int i = 0; i < users; ++i) s.users.push_back({fmt::format("u{}", i), token});
  for (int r = 0; r < rooms; ++r) s.rooms.push_back({fmt::format("room-{}", r), {}});
  return s;
}

int run_chat_setup(const ChatSetupOptions& o) {
  RestClient rest(o.url);
  const std::string tag = run_tag();
  ChatSetup s;
  auto fail = [](const std::string& why) {
    fmt::print(stderr, "parley-bench chat-setup: {}\n", why);
    return 1;
  };
  for (int i = 0; i < o.users; ++i) {
    auto u = sign_up(rest, o, fmt::format("pb{}u{}", tag, i));
    if (!u) return fail(u.error());
    s.users.push_back(std::move(*u));
  }
  for (int r = 0; r < o.rooms; ++r) {
    auto room = make_room(rest, s.users, r);
    if (!room) return fail(room.error());
    if (auto ok = post_history(rest, s.users, *room, o.messages, tag); !ok) return fail(ok.error());
    s.rooms.push_back(std::move(*room));
  }
  if (auto ok = save_chat_setup(s, o.out_path); !ok) return fail(ok.error());
  fmt::print("chat-setup: {} users, {} rooms, {} messages per room -> {}\n", s.users.size(), s.rooms.size(),
             o.messages, o.out_path);
  return 0;
}

}  // namespace parley::bench
