#pragma once
// The chat HTTP routes (API.md "Rooms and messages") and the chat sections of the data export.
#include "auth/auth_service.hpp"
#include "chat/chat_service.hpp"
#include "net/router.hpp"

namespace parley::chat {

void add_rooms_routes(net::Router& router, ChatService& chat, auth::AuthService& auth);
void add_messages_routes(net::Router& router, ChatService& chat, auth::AuthService& auth);
// "rooms" and "messages" sections of GET /v1/me/export.
void add_chat_exports(auth::AuthService& auth);

inline void add_chat_routes(net::Router& router, ChatService& chat, auth::AuthService& auth) {
  add_rooms_routes(router, chat, auth);
  add_messages_routes(router, chat, auth);
  add_chat_exports(auth);
}

}  // namespace parley::chat
