#pragma once
// Command-line options of each scenario, and their parsing. Durations read "10s", "500ms",
// "2m", "1h" or plain seconds.
#include <chrono>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "target_url.hpp"

namespace parley::bench {

using Duration = std::chrono::nanoseconds;

struct CommonOptions {
  TargetUrl url;
  int connections = 64;
  int threads = 2;
  Duration duration = std::chrono::seconds(10);
  Duration warmup = std::chrono::seconds(2);
  std::vector<std::pair<std::string, std::string>> headers;  // extra request headers
  std::string json_path;                                   // --json FILE, empty = none
  bool quiet = false;                                      // no progress lines on stderr
};

struct HttpOptions {
  CommonOptions common;
  std::optional<double> rate;  // total requests/s across connections (open loop); none = closed loop
  std::string method = "GET";
  std::string body;            // contents of --body FILE
  std::string content_type = "application/json";
};

enum class WsMode { plain };   // later: socketio (Engine.IO v4 / Socket.IO v5), fanout

struct WsOptions {
  CommonOptions common;
  WsMode mode = WsMode::plain;
  double rate = 1.0;           // frames/s per connection; 0 = hold idle connections
  std::string frame = R"({"op":"ping","id":"{n}"})";
  bool expect_reply = false;
  std::vector<std::string> init_frames;  // sent once after the handshake (e.g. an auth frame)
  int ramp_batch = 500;                  // connections opened per ramp step
  Duration ramp_interval = std::chrono::milliseconds(100);
  Duration report_interval = std::chrono::seconds(5);
};

struct WaitReadyOptions {
  TargetUrl url;
  Duration timeout = std::chrono::seconds(30);
  Duration interval = std::chrono::milliseconds(1);
  Duration term_timeout = std::chrono::seconds(10);  // after SIGTERM, then SIGKILL
  std::vector<std::string> command;                  // after --spawn --
  bool keep = false;                                 // --no-terminate: leave the process running
};

std::expected<Duration, std::string> parse_duration(std::string_view text);
std::expected<HttpOptions, std::string> parse_http_options(const std::vector<std::string>& args);
std::expected<WsOptions, std::string> parse_ws_options(const std::vector<std::string>& args);
std::expected<WaitReadyOptions, std::string> parse_wait_ready_options(const std::vector<std::string>& args);

std::string usage();

}  // namespace parley::bench
