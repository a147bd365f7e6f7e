// Messages: GET/POST /v1/rooms/{id}/messages, PATCH/DELETE /v1/messages/{id},
// POST /v1/messages/{id}/view.
#include "auth/auth_routes.hpp"
#include "chat/chat_routes.hpp"
#include "chat/message_json.hpp"
#include "chat/route_params.hpp"
#include "chat/validation.hpp"
#include "net/json_fields.hpp"

namespace parley::chat {

using net::Request;
using net::Response;

void add_messages_routes(net::Router& router, ChatService& chat, auth::AuthService& auth) {
  router.get("/v1/rooms/{id}/messages", [&chat, &auth](Request& req) -> asio::awaitable<Response> {
    const auto me = co_await auth::require_user(auth, req);
    const UserId my_id{me.user_id};
    const auto room = room_param(req);
    const auto query = page_params(req);
    auto page = co_await chat.messages(my_id, room, query);
    co_return json_text(200, message_page_json(page, Audience{my_id}));
  });

  router.post("/v1/rooms/{id}/messages", [&chat, &auth](Request& req) -> asio::awaitable<Response> {
    const auto me = co_await auth::require_user(auth, req);
    const auto room = room_param(req);
    net::JsonFields f(req);
    auto in = send_input_from_json(f.object());
    auto result = co_await chat.send(me, room, std::move(in));
    const Audience audience{UserId{me.user_id}};
    co_return json_text(result.created ? 201 : 200, message_json(result.message, audience));
  });

  router.patch("/v1/messages/{id}", [&chat, &auth](Request& req) -> asio::awaitable<Response> {
    const auto me = co_await auth::require_user(auth, req);
    const UserId my_id{me.user_id};
    const auto id = message_param(req);
    net::JsonFields f(req);
    auto in = edit_input_from_json(f.object());
    auto message = co_await chat.edit(my_id, id, std::move(in));
    co_return json_text(200, message_json(message, Audience{my_id}));
  });

  router.del("/v1/messages/{id}", [&chat, &auth](Request& req) -> asio::awaitable<Response> {
    const auto me = co_await auth::require_user(auth, req);
    const UserId my_id{me.user_id};
    const auto id = message_param(req);
    co_await chat.remove(my_id, id);
    co_return Response::no_content();
  });

  router.post("/v1/messages/{id}/view", [&chat, &auth](Request& req) -> asio::awaitable<Response> {
    const auto me = co_await auth::require_user(auth, req);
    const UserId my_id{me.user_id};
    const auto id = message_param(req);
    auto message = co_await chat.view(my_id, id);
    co_return json_text(200, message_json(message, Audience{my_id, true}));
  });
}

}  // namespace parley::chat
