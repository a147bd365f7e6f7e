#pragma once
#include "auth/auth_service.hpp"
#include "net/router.hpp"

namespace parley::auth {

// The caller, from `Authorization: Bearer …` (401 otherwise).
asio::awaitable<Principal> require_user(AuthService& auth, const net::Request& req);
ClientInfo client_info(const net::Request& req);

void add_auth_routes(net::Router& router, AuthService& auth, KeyRing& keys);
void add_me_routes(net::Router& router, AuthService& auth);
// GET /v1/users/{id}, GET /v1/users?username=…|ids=…: public profiles of other users.
void add_users_routes(net::Router& router, AuthService& auth);

}  // namespace parley::auth
