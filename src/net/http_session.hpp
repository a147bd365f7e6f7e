#pragma once
#include "net/server.hpp"

namespace parley::net {

// Serves one accepted TCP connection on the worker's thread: HTTP/1.1 keep-alive with header,
// body and time limits, or a WebSocket after an upgrade.
void start_http_session(Worker& worker, asio::ip::tcp::socket socket);
// Answers a connection over --max-connections with 503 and closes it.
void reject_connection(Worker& worker, asio::ip::tcp::socket socket);

}  // namespace parley::net
