#pragma once
// Reading chat requests: path ids (404 when malformed: such a room cannot exist), limits,
// cursors, and answering with JSON written by hand.
#include "chat/model.hpp"
#include "net/request.hpp"

#include <string>
#include <string_view>

namespace parley::chat {

RoomId room_param(const net::Request& req);
MessageId message_param(const net::Request& req);
UserId user_param(const net::Request& req);
// ?limit= 1..100 (default 50); 422 otherwise.
int limit_param(const net::Request& req);
// ?before= / ?after= / ?cursor= of GET /v1/rooms/{id}/messages; 422 on a bad or conflicting value.
PageQuery page_params(const net::Request& req);
// A JSON body already serialized.
net::Response json_text(int status, std::string body);

}  // namespace parley::chat
