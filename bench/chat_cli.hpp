#pragma once
// Options of the chat scenarios (`parley-bench chat fanout|sends|idle`) and of the REST set-up
// that gives Parley its users, tokens and rooms (`parley-bench chat-setup`).
#include <chrono>
#include <expected>
#include <string>
#include <vector>

#include "chat_protocol.hpp"
#include "cli.hpp"

namespace parley::bench {

enum class ChatScenario { fanout, sends, idle };

struct ChatOptions {
  CommonOptions common;        // --url ws://H:P[/path], --connections (sends, idle), --threads, …
  ChatScenario scenario = ChatScenario::fanout;
  Peer peer = Peer::socketio;
  std::string setup_path;      // Parley: users, tokens and rooms written by chat-setup
  std::string token = "parley-bench";  // Socket.IO: the peer's shared token
  int rooms = 1;
  int members = 10;            // fanout: subscribed connections per room
  int publishers = 1;          // fanout: sending connections (not subscribed), spread over the rooms
  double rate = 0;             // messages/s in total (fanout, sends); sends: 0 = closed loop
  int inflight = 1;            // sends, closed loop: sends outstanding per connection
  int body_size = 64;          // bytes of each message body (at least the time stamp)
  int sources = 1;             // local addresses 127.0.0.1 .. 127.0.0.N, round-robin
  int server_pid = 0;          // idle: the server process whose VmRSS is read
  int ramp_batch = 500;
  Duration ramp_interval = std::chrono::milliseconds(100);
  Duration setup_timeout = std::chrono::seconds(60);  // connect + auth + join of every connection
  Duration grace = std::chrono::seconds(2);           // for deliveries and acks after the window
  Duration report_interval = std::chrono::seconds(5);
};

struct ChatSetupOptions {
  TargetUrl url;               // http://H:P
  int users = 16;
  int rooms = 1;
  int messages = 0;            // per room, posted through the REST API (history)
  std::string out_path;
  std::string password = "parley bench password";
};

std::expected<ChatOptions, std::string> parse_chat_options(const std::vector<std::string>& args);
std::expected<ChatSetupOptions, std::string> parse_chat_setup_options(const std::vector<std::string>& args);
std::string chat_usage();

}  // namespace parley::bench
