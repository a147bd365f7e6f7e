#pragma once
// Server configuration: every setting comes from a flag, a PARLEY_* environment variable, the
// --config TOML file, or its default, in that order of precedence. Values are validated at start;
// a bad one raises ConfigError naming the setting, the value, its source and what is allowed.
#include "core/log.hpp"
#include "core/rate_limiter.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace parley {

struct Config {
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 8080;
  std::filesystem::path data_dir = "./data";
  std::string config_file;
  std::string database;  // "" = embedded SQLite
  std::string redis;
  std::string smtp_url;
  std::string mail_from;  // "" = "<app-name> <no-reply@HOST of public-url>"
  std::string public_url = "http://127.0.0.1:8080";
  bool dev = false;
  // The web app's built files (Vite's dist/). "" = the source tree's web/app/dist when it has been
  // built; "off" = serve no web app.
  std::string web_root;
  int threads = 0;  // 0 = one per core
  int worker_threads = 0;  // 0 = cores - 1, at least 1
  int ws_frame_rate = 50;  // client frames per second per WebSocket
  std::size_t ws_max_rooms = 1000;                         // subscriptions per WebSocket
  std::chrono::milliseconds ws_session_recheck{60'000};   // open sockets re-check their session
  std::chrono::milliseconds ws_fragment_timeout{10'000};  // a fragmented message must complete within
  log::Level log_level = log::Level::info;
  std::size_t max_body_bytes = 1 << 20;
  std::size_t max_header_bytes = 16 * 1024;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds shutdown_timeout{10'000};
  std::chrono::milliseconds slow_store{100};
  std::size_t max_connections = 100'000;
  std::vector<std::string> cors_origins;
  std::string app_name = "Parley";
  std::size_t argon2_memory_kib = 19 * 1024;  // OWASP: Argon2id, 19 MiB, 2 passes
  unsigned argon2_passes = 2;
  std::size_t token_cache_entries = 50'000;
  // Account protection (API.md defaults).
  RateLimit login_limit_account{5, std::chrono::minutes(15)};
  RateLimit login_limit_ip{50, std::chrono::minutes(15)};
  RateLimit signup_limit_ip{20, std::chrono::hours(1)};
  RateLimit mail_limit_address{5, std::chrono::hours(1)};
  RateLimit login_limit_device{5, std::chrono::minutes(15)};  // failed logins per device token
  // HTTP hardening (issue 11).
  std::vector<std::string> trusted_proxies;  // IPs and CIDRs whose X-Forwarded-For/Forwarded is believed
  std::size_t max_body_bytes_in_flight = 64u << 20;  // request bodies being received, whole server
  std::size_t min_body_rate = 1024;                   // bytes/s a body must average after the grace; 0 = off
  std::chrono::milliseconds body_rate_grace{5'000};
  std::chrono::milliseconds drain_grace{5'000};  // after SIGTERM: /readyz 503 with the listeners still open

  int effective_threads() const;
  int effective_worker_threads() const;
};

class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string setting, std::string value, std::string source, std::string allowed);
  const std::string& setting() const { return setting_; }

 private:
  std::string setting_;
};

// Flag values as the command line gave them (name without "--" -> raw text).
using FlagValues = std::map<std::string, std::string>;

// Declares every setting as an option of `cmd`, writing into `flags` when given.
void add_config_options(CLI::App& cmd, FlagValues& flags);

// Resolves flags > environment > TOML file > defaults. Throws ConfigError.
Config load_config(const FlagValues& flags);

// The effective configuration as TOML lines, secrets masked.
std::string print_config(const Config& config);

// Masks what a secret setting's value holds: "smtp://user:secret@host" -> "smtp://user:***@host"
// (also without or with a broken scheme, "user:secret@host" -> "user:***@host"; redis://secret@host
// -> redis://***@host), and query parameters named like secrets ("?password=x" -> "?password=***").
// Values without a password are unchanged.
std::string mask_url_password(const std::string& url);

}  // namespace parley
