#pragma once
// GET /v1/ws, the real-time gateway (API.md "Real-time"), and GET /v1/rooms/{id}/presence.
#include "chat/gateway_connection.hpp"
#include "net/router.hpp"

namespace parley::chat {

// `deps` must outlive the router's server.
void add_gateway_routes(net::Router& router, GatewayDeps& deps);

}  // namespace parley::chat
