// /v1/rooms: create (direct or group), list, get, join by code, members and roles, join code,
// read and delivered markers.
#include "auth/auth_routes.hpp"
#include "chat/chat_routes.hpp"
#include "chat/cursor.hpp"
#include "chat/errors.hpp"
#include "chat/room_json.hpp"
#include "chat/route_params.hpp"
#include "chat/validation.hpp"
#include "net/json_fields.hpp"

namespace parley::chat {
namespace {

using net::Request;
using net::Response;

struct CreateRoom {
  bool direct = false;
  UserId member;
  std::string name;
  std::vector<UserId> members;
};

CreateRoom create_room_input(const Request& req) {
  net::JsonFields f(req);
  CreateRoom in;
  auto kind = f.string("kind", true);
  if (kind && *kind != "direct" && *kind != "group") f.fail("kind", "must be direct or group");
  in.direct = kind && *kind == "direct";
  const auto& body = f.object();
  if (in.direct) {
    const auto* member = body.if_contains("member");
    if (!member || member->is_null()) f.fail("member", "required");
    else if (auto id = id_from_json(*member)) in.member = UserId{*id};
    else f.fail("member", "must be a user id");
  } else if (kind) {
    in.name = f.string("name", true).value_or("");
    if (const auto* members = body.if_contains("members"); members && !members->is_null()) {
      if (!members->is_array()) f.fail("members", "must be an array of user ids");
      else
        for (const auto& m : members->as_array()) {
          auto id = id_from_json(m);
          if (!id) {
            f.fail("members", "must be an array of user ids");
            break;
          }
          in.members.push_back(UserId{*id});
        }
    }
  }
  f.done();
  return in;
}

UserId user_id_field(const Request& req) {
  net::JsonFields f(req);
  const auto* v = f.object().if_contains("user_id");
  std::optional<std::int64_t> id;
  if (!v || v->is_null()) f.fail("user_id", "required");
  else if (!(id = id_from_json(*v))) f.fail("user_id", "must be a user id");
  f.done();
  return UserId{*id};
}

std::int64_t seq_field(const Request& req) {
  net::JsonFields f(req);
  auto seq = f.integer("seq", true);
  if (seq && *seq < 0) f.fail("seq", "must not be negative");
  f.done();
  return *seq;
}

}  // namespace

void add_rooms_routes(net::Router& router, ChatService& chat, auth::AuthService& auth) {
  router.post("/v1/rooms", [&chat, &auth](Request& req) -> asio::awaitable<Response> {
    const auto me = co_await auth::require_user(auth, req);
    const UserId my_id{me.user_id};
    auto in = create_room_input(req);
    if (in.direct) {
      auto [room, created] = co_await chat.open_direct(my_id, in.member);
      co_return json_text(created ? 201 : 200, room_json(room, my_id));
    }
    auto room = co_await chat.create_group(my_id, std::move(in.name), std::move(in.members));
    co_return json_text(201, room_json(room, my_id));
  });

  router.get("/v1/rooms", [&chat, &auth](Request& req) -> asio::awaitable<Response> {
    const auto me = co_await auth::require_user(auth, req);
    const UserId my_id{me.user_id};
    const int limit = limit_param(req);
    std::optional<RoomCursor> cursor;
    if (auto text = req.query_param("cursor")) {
      cursor = decode_room_cursor(*text);
      if (!cursor) throw invalid_field("cursor", "not a cursor this server gave");
    }
    auto page = co_await chat.rooms(my_id, limit, std::move(cursor));
    co_return json_text(200, room_page_json(page, my_id));
  });

  router.get("/v1/rooms/{id}", [&chat, &auth](Request& req) -> asio::awaitable<Response> {
    const auto me = co_await auth::require_user(auth, req);
    const UserId my_id{me.user_id};
    auto room = co_await chat.room(my_id, room_param(req));
    co_return json_text(200, room_json(room, my_id));
  });

  router.post("/v1/rooms/join", [&chat, &auth](Request& req) -> asio::awaitable<Response> {
    const auto me = co_await auth::require_user(auth, req);
    const UserId my_id{me.user_id};
    net::JsonFields f(req);
    auto code = f.string("code", true);
    f.done();
    auto room = co_await chat.join(my_id, std::move(*code));
    co_return json_text(200, room_json(room, my_id));
  });

  router.get("/v1/rooms/{id}/members", [&chat, &auth](Request& req) -> asio::awaitable<Response> {
    const auto me = co_await auth::require_user(auth, req);
    const UserId my_id{me.user_id};
    const auto room = room_param(req);
    const int limit = limit_param(req);
    std::optional<std::int64_t> after;
    if (auto text = req.query_param("cursor")) {
      after = decode_member_cursor(*text);
      if (!after) throw invalid_field("cursor", "not a cursor this server gave");
    }
    auto page = co_await chat.members(my_id, room, limit, after);
    co_return json_text(200, member_page_json(page));
  });

  router.post("/v1/rooms/{id}/members", [&chat, &auth](Request& req) -> asio::awaitable<Response> {
    const auto me = co_await auth::require_user(auth, req);
    const UserId my_id{me.user_id};
    const auto room = room_param(req);
    const auto user = user_id_field(req);
    co_await chat.add_member(my_id, room, user);
    co_return Response::no_content();
  });

  router.del("/v1/rooms/{id}/members/{user_id}", [&chat, &auth](Request& req) -> asio::awaitable<Response> {
    const auto me = co_await auth::require_user(auth, req);
    const UserId my_id{me.user_id};
    const auto room = room_param(req);
    const auto user = user_param(req);
    co_await chat.remove_member(my_id, room, user);
    co_return Response::no_content();
  });

  router.patch("/v1/rooms/{id}/members/{user_id}", [&chat, &auth](Request& req) -> asio::awaitable<Response> {
    const auto me = co_await auth::require_user(auth, req);
    const UserId my_id{me.user_id};
    const auto room = room_param(req);
    const auto user = user_param(req);
    net::JsonFields f(req);
    auto text = f.string("role", true);
    std::optional<Role> role;
    if (text) role = parse_role(*text);
    if (text && (!role || *role == Role::owner)) f.fail("role", "must be admin or member");
    f.done();
    co_await chat.set_role(my_id, room, user, *role);
    co_return Response::no_content();
  });

  router.post("/v1/rooms/{id}/code", [&chat, &auth](Request& req) -> asio::awaitable<Response> {
    const auto me = co_await auth::require_user(auth, req);
    const UserId my_id{me.user_id};
    auto room = co_await chat.new_code(my_id, room_param(req));
    co_return json_text(200, room_json(room, my_id));
  });

  router.post("/v1/rooms/{id}/read", [&chat, &auth](Request& req) -> asio::awaitable<Response> {
    const auto me = co_await auth::require_user(auth, req);
    const UserId my_id{me.user_id};
    const auto room = room_param(req);
    const auto seq = seq_field(req);
    co_await chat.mark_read(my_id, room, seq);
    co_return Response::no_content();
  });

  router.post("/v1/rooms/{id}/delivered", [&chat, &auth](Request& req) -> asio::awaitable<Response> {
    const auto me = co_await auth::require_user(auth, req);
    const UserId my_id{me.user_id};
    const auto room = room_param(req);
    const auto seq = seq_field(req);
    co_await chat.mark_delivered(my_id, room, seq);
    co_return Response::no_content();
  });
}

}  // namespace parley::chat
