#pragma once
// The accounts and rooms a chat scenario uses. For Parley they are made through the REST API
// (API.md: POST /v1/auth/signup, POST /v1/rooms, POST /v1/rooms/join, POST /v1/rooms/{id}/messages)
// by `parley-bench chat-setup`, which writes them to a JSON file the scenarios read:
//   {"users":[{"id":"…","token":"…"}],"rooms":[{"id":"…","code":"…"}]}
// For Socket.IO they are made up: the peer takes one shared token and names rooms freely.
#include <expected>
#include <string>
#include <vector>

#include "chat_cli.hpp"

namespace parley::bench {

struct ChatUser {
  std::string id;
  std::string token;  // access token (JWT, 15 min) or the Socket.IO peer's shared token
};

struct ChatRoom {
  std::string id;
  std::string code;
};

struct ChatSetup {
  std::vector<ChatUser> users;
  std::vector<ChatRoom> rooms;
};

std::expected<ChatSetup, std::string> load_chat_setup(const std::string& path);
std::expected<void, std::string> save_chat_setup(const ChatSetup& setup, const std::string& path);
// Socket.IO: `users` users "u<i>" with the shared token, rooms "room-<r>".
ChatSetup synthetic_chat_setup(const std::string& token, int users, int rooms);

// `parley-bench chat-setup`: signs up, creates rooms, posts history; returns the exit code.
int run_chat_setup(const ChatSetupOptions& options);

}  // namespace parley::bench
