#include "core/config_settings.hpp"

#include "core/ip_range.hpp"

#include <boost/asio/ip/address.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <thread>

namespace parley {
namespace config_detail {
namespace {

using Err = std::optional<std::string>;

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

bool parse_u64(const std::string& raw, std::uint64_t& out) {
  if (raw.empty()) return false;
  auto [p, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), out);
  return ec == std::errc{} && p == raw.data() + raw.size();
}

template <class T>
auto integer(T Config::*field, std::uint64_t lo, std::uint64_t hi) {
  return [=](Config& c, const std::string& raw) -> Err {
    std::uint64_t v = 0;
    if (!parse_u64(raw, v) || v < lo || v > hi) return fmt::format("expected an integer from {} to {}", lo, hi);
    c.*field = static_cast<T>(v);
    return std::nullopt;
  };
}

std::string show_ms(std::chrono::milliseconds d) {
  const auto ms = d.count();
  if (ms % 3'600'000 == 0 && ms) return quote(fmt::format("{}h", ms / 3'600'000));
  if (ms % 60'000 == 0 && ms) return quote(fmt::format("{}m", ms / 60'000));
  if (ms % 1000 == 0) return quote(fmt::format("{}s", ms / 1000));
  return quote(fmt::format("{}ms", ms));
}

// "250ms", "10s", "5m", "1h"; a bare number is seconds.
bool parse_duration(const std::string& raw, std::chrono::milliseconds& out) {
  std::size_t i = 0;
  while (i < raw.size() && std::isdigit(static_cast<unsigned char>(raw[i]))) ++i;
  std::uint64_t n = 0;
  if (!parse_u64(raw.substr(0, i), n) || n > 100'000'000) return false;
  const std::string unit = raw.substr(i);
  std::uint64_t mul = 0;
  if (unit == "ms") mul = 1;
  else if (unit == "s" || unit.empty()) mul = 1000;
  else if (unit == "m") mul = 60'000;
  else if (unit == "h") mul = 3'600'000;
  else return false;
  out = std::chrono::milliseconds(n * mul);
  return true;
}

auto duration(std::chrono::milliseconds Config::*field, std::chrono::milliseconds lo, std::chrono::milliseconds hi) {
  return [=](Config& c, const std::string& raw) -> Err {
    std::chrono::milliseconds d{};
    if (!parse_duration(raw, d) || d < lo || d > hi)
      return fmt::format("expected a duration from {} to {} (units ms, s, m, h)", show_ms(lo), show_ms(hi));
    c.*field = d;
    return std::nullopt;
  };
}

bool url_with_scheme(const std::string& raw, std::initializer_list<std::string_view> schemes) {
  for (auto s : schemes) {
    const std::string prefix = std::string(s) + "://";
    if (raw.size() > prefix.size() && raw.compare(0, prefix.size(), prefix) == 0 &&
        raw.find_first_of(" \t\r\n") == std::string::npos)
      return true;
  }
  return false;
}

Err apply_listen(Config& c, const std::string& raw) {
  const std::string allowed = "expected ADDRESS:PORT, e.g. 127.0.0.1:8080 or [::1]:8080, port 0-65535";
  std::string host, port;
  if (!raw.empty() && raw.front() == '[') {
    const auto close = raw.find("]:");
    if (close == std::string::npos) return allowed;
    host = raw.substr(1, close - 1);
    port = raw.substr(close + 2);
  } else {
    const auto colon = raw.rfind(':');
    if (colon == std::string::npos || raw.find(':') != colon) return allowed;
    host = raw.substr(0, colon);
    port = raw.substr(colon + 1);
  }
  std::uint64_t p = 0;
  if (host.empty() || !parse_u64(port, p) || p > 65535) return allowed;
  boost::system::error_code ec;
  if (host != "localhost") boost::asio::ip::make_address(host, ec);
  if (ec) return allowed + " (the address must be an IP address or localhost)";
  c.listen_host = host;
  c.listen_port = static_cast<std::uint16_t>(p);
  return std::nullopt;
}

Err apply_bool(Config& c, const std::string& raw) {
  std::string v = raw;
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char ch) { return std::tolower(ch); });
  if (v == "1" || v == "true" || v == "yes" || v == "on") c.dev = true;
  else if (v == "0" || v == "false" || v == "no" || v == "off" || v.empty()) c.dev = false;
  else return "expected true or false";
  return std::nullopt;
}

Err apply_cors(Config& c, const std::string& raw) {
  c.cors_origins.clear();
  std::size_t start = 0;
  while (start <= raw.size()) {
    auto end = raw.find(',', start);
    if (end == std::string::npos) end = raw.size();
    std::string o = raw.substr(start, end - start);
    o.erase(0, o.find_first_not_of(' '));
    o.erase(o.find_last_not_of(' ') + 1);
    if (!o.empty()) {
      const bool ok = url_with_scheme(o, {"http", "https"}) && o.back() != '/' &&
                      o.find('/', o.find("://") + 3) == std::string::npos;
      if (!ok) return "expected a comma-separated list of origins like https://app.example.com (no path, no *)";
      c.cors_origins.push_back(o);
    }
    start = end + 1;
  }
  return std::nullopt;
}

Err apply_trusted_proxies(Config& c, const std::string& raw) {
  c.trusted_proxies.clear();
  std::size_t start = 0;
  while (start <= raw.size()) {
    auto end = raw.find(',', start);
    if (end == std::string::npos) end = raw.size();
    std::string p = raw.substr(start, end - start);
    p.erase(0, p.find_first_not_of(" \t"));
    p.erase(p.find_last_not_of(" \t") + 1);
    if (!p.empty()) {
      if (!IpRange::parse(p)) return "expected a comma-separated list of IP addresses and CIDR ranges such as 127.0.0.1, 10.0.0.0/8, ::1, fd00::/8";
      c.trusted_proxies.push_back(p);
    }
    start = end + 1;
  }
  return std::nullopt;
}

std::string show_list(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + quote(v[i]);
  return out + "]";
}

std::vector<Setting> make_settings() {
  using std::chrono::milliseconds;
  std::vector<Setting> s;
  auto text = [](std::string Config::*field) { return [=](const Config& c) { return quote(c.*field); }; };
  auto num = [](auto Config::*field) { return [=](const Config& c) { return fmt::format("{}", c.*field); }; };
  auto dur = [](milliseconds Config::*field) { return [=](const Config& c) { return show_ms(c.*field); }; };

  s.push_back({"listen", "address and port to listen on", false, false, apply_listen, [](const Config& c) {
                 const bool v6 = c.listen_host.find(':') != std::string::npos;
                 return quote(v6 ? fmt::format("[{}]:{}", c.listen_host, c.listen_port)
                                 : fmt::format("{}:{}", c.listen_host, c.listen_port));
               }});
  s.push_back({"data", "data folder (database, keys, files)", false, false,
               [](Config& c, const std::string& raw) -> Err {
                 if (raw.empty()) return "expected a directory path";
                 c.data_dir = raw;
                 return std::nullopt;
               },
               [](const Config& c) { return quote(c.data_dir.string()); }});
  s.push_back({"database", "database URL: empty for the embedded SQLite store, postgres://… for PostgreSQL (many nodes)", true, false,
               [](Config& c, const std::string& raw) -> Err {
                 if (!raw.empty() && raw != "sqlite:" && raw != "sqlite" && !url_with_scheme(raw, {"postgres", "postgresql"}))
                   return "expected empty, sqlite:, or a postgres://user:password@host:port/database URL";
                 c.database = (raw == "sqlite:" || raw == "sqlite") ? std::string() : raw;
                 return std::nullopt;
               },
               text(&Config::database)});
  s.push_back({"redis", "Redis URL for scaling out (redis://host:port)", true, false,
               [](Config& c, const std::string& raw) -> Err {
                 if (!raw.empty() && !url_with_scheme(raw, {"redis", "rediss"})) return "expected a redis:// URL";
                 c.redis = raw;
                 return std::nullopt;
               },
               text(&Config::redis)});
  s.push_back({"smtp-url", "SMTP server for outgoing mail (smtp:// or smtps://user:pass@host:port)", true, false,
               [](Config& c, const std::string& raw) -> Err {
                 if (!raw.empty() && !url_with_scheme(raw, {"smtp", "smtps"})) return "expected an smtp:// or smtps:// URL";
                 c.smtp_url = raw;
                 return std::nullopt;
               },
               text(&Config::smtp_url)});
  s.push_back({"mail-from", "sender of outgoing mail, \"Name <address>\" (default: \"<app-name> <no-reply@HOST of public-url>\")",
               false, false,
               [](Config& c, const std::string& raw) -> Err {
                 const auto lt = raw.find('<');
                 const auto at = raw.find('@', lt == std::string::npos ? 0 : lt);
                 if (!raw.empty() && (raw.size() > 256 || at == std::string::npos || raw.find_first_of("\r\n") != std::string::npos ||
                                      (lt != std::string::npos && raw.back() != '>')))
                   return "expected an address such as \"Parley <no-reply@example.com>\" or no-reply@example.com";
                 c.mail_from = raw;
                 return std::nullopt;
               },
               text(&Config::mail_from)});
  s.push_back({"public-url", "the URL users reach this server at (used in links)", false, false,
               [](Config& c, const std::string& raw) -> Err {
                 if (!url_with_scheme(raw, {"http", "https"})) return "expected an http:// or https:// URL";
                 c.public_url = raw;
                 while (c.public_url.size() > 8 && c.public_url.back() == '/') c.public_url.pop_back();
                 return std::nullopt;
               },
               text(&Config::public_url)});
  s.push_back({"web-root", "folder of the built web app to serve at / (\"\" = web/app/dist of the source tree when built; off = none)",
               false, false,
               [](Config& c, const std::string& raw) -> Err {
                 c.web_root = raw;
                 return std::nullopt;
               },
               text(&Config::web_root)});
  s.push_back({"dev", "development mode (dev endpoints such as the mail outbox)", false, true, apply_bool,
               [](const Config& c) { return std::string(c.dev ? "true" : "false"); }});
  s.push_back({"threads", "I/O threads (0 = one per core)", false, false, integer(&Config::threads, 0, 256),
               num(&Config::threads)});
  s.push_back({"ws-frame-rate", "client frames per second allowed on one WebSocket (bursts of twice that); over it: close 4029",
               false, false, integer(&Config::ws_frame_rate, 1, 1'000'000), num(&Config::ws_frame_rate)});
  s.push_back({"ws-max-rooms", "room subscriptions one WebSocket may hold; beyond: error too_many_rooms", false, false,
               integer(&Config::ws_max_rooms, 1, 1'000'000), num(&Config::ws_max_rooms)});
  s.push_back({"ws-session-recheck", "open WebSockets re-check their session (bans and revocations from other processes)",
               false, false, duration(&Config::ws_session_recheck, milliseconds(100), milliseconds(3'600'000)),
               dur(&Config::ws_session_recheck)});
  s.push_back({"ws-fragment-timeout", "a WebSocket message sent in fragments must be complete within this (else close 1008)",
               false, false, duration(&Config::ws_fragment_timeout, milliseconds(100), milliseconds(600'000)),
               dur(&Config::ws_fragment_timeout)});
  s.push_back({"worker-threads", "threads for CPU-heavy work such as password hashing (0 = cores - 1, at least 1)", false,
               false, integer(&Config::worker_threads, 0, 256), num(&Config::worker_threads)});
  s.push_back({"log-level", "debug, info, warn, error or off", false, false,
               [](Config& c, const std::string& raw) -> Err {
                 if (!log::parse_level(raw, c.log_level)) return "expected one of debug, info, warn, error, off";
                 return std::nullopt;
               },
               [](const Config& c) {
                 const char* names[] = {"debug", "info", "warn", "error", "off"};
                 return quote(names[static_cast<int>(c.log_level)]);
               }});
  s.push_back({"max-body-bytes", "largest request body accepted (413 beyond)", false, false,
               integer(&Config::max_body_bytes, 1024, 1ull << 30), num(&Config::max_body_bytes)});
  s.push_back({"max-header-bytes", "largest request header block accepted (431 beyond)", false, false,
               integer(&Config::max_header_bytes, 1024, 1ull << 20), num(&Config::max_header_bytes)});
  s.push_back({"header-timeout", "time a client has to send its request headers", false, false,
               duration(&Config::header_timeout, milliseconds(100), milliseconds(300'000)),
               dur(&Config::header_timeout)});
  s.push_back({"idle-timeout", "idle keep-alive connections are closed after this", false, false,
               duration(&Config::idle_timeout, milliseconds(1000), milliseconds(3'600'000)),
               dur(&Config::idle_timeout)});
  s.push_back({"shutdown-timeout", "on SIGTERM, time allowed to drain before exiting", false, false,
               duration(&Config::shutdown_timeout, milliseconds(0), milliseconds(600'000)),
               dur(&Config::shutdown_timeout)});
  s.push_back({"max-connections", "open connections accepted at once", false, false,
               integer(&Config::max_connections, 1, 10'000'000), num(&Config::max_connections)});
  s.push_back({"cors-origins", "comma-separated origins allowed to call the API from a browser", false, false,
               apply_cors, [](const Config& c) { return show_list(c.cors_origins); }});
  s.push_back({"slow-store", "store calls slower than this are logged", false, false,
               duration(&Config::slow_store, milliseconds(1), milliseconds(60'000)), dur(&Config::slow_store)});
  s.push_back({"app-name", "the product name used in mail and pages", false, false,
               [](Config& c, const std::string& raw) -> Err {
                 if (raw.empty() || raw.size() > 64) return "expected 1 to 64 characters";
                 c.app_name = raw;
                 return std::nullopt;
               },
               text(&Config::app_name)});
  s.push_back({"argon2-memory-kib", "Argon2id memory per password hash, in KiB", false, false,
               integer(&Config::argon2_memory_kib, 8, 4u * 1024 * 1024), num(&Config::argon2_memory_kib)});
  s.push_back({"argon2-passes", "Argon2id passes per password hash", false, false,
               integer(&Config::argon2_passes, 1, 20), num(&Config::argon2_passes)});
  s.push_back({"token-cache-entries", "verified access tokens cached per I/O thread (0 disables the cache)", false,
               false, integer(&Config::token_cache_entries, 0, 10'000'000), num(&Config::token_cache_entries)});
  auto limit = [&s](std::string name, std::string help, RateLimit Config::*field) {
    s.push_back({std::move(name), std::move(help), false, false,
                 [field](Config& c, const std::string& raw) -> Err {
                   auto v = RateLimit::parse(raw);
                   if (!v) return "expected COUNT/WINDOW such as 5/15m or 20/1h (units ms, s, m, h, d), or off";
                   c.*field = *v;
                   return std::nullopt;
                 },
                 [field](const Config& c) { return quote((c.*field).to_string()); }});
  };
  limit("login-limit-account", "failed logins allowed per account", &Config::login_limit_account);
  limit("login-limit-ip", "failed logins allowed per client IP", &Config::login_limit_ip);
  limit("signup-limit-ip", "sign-ups allowed per client IP", &Config::signup_limit_ip);
  limit("mail-limit-address", "password-reset and verification mails allowed per address", &Config::mail_limit_address);
  limit("login-limit-device", "failed logins allowed per device token (a login from a known device)",
        &Config::login_limit_device);
  s.push_back({"trusted-proxies",
               "comma-separated IPs and CIDRs of reverse proxies whose X-Forwarded-For/Forwarded names the client (empty = none)",
               false, false, apply_trusted_proxies, [](const Config& c) { return show_list(c.trusted_proxies); }});
  s.push_back({"max-body-bytes-in-flight", "request body bytes being received at once, whole server (503 beyond)", false,
               false, integer(&Config::max_body_bytes_in_flight, 1024, 1ull << 40), num(&Config::max_body_bytes_in_flight)});
  s.push_back({"min-body-rate", "bytes per second a request body must average after --body-rate-grace (0 = no minimum)",
               false, false, integer(&Config::min_body_rate, 0, 1ull << 30), num(&Config::min_body_rate)});
  s.push_back({"body-rate-grace", "time a request body may take before --min-body-rate applies", false, false,
               duration(&Config::body_rate_grace, milliseconds(0), milliseconds(3'600'000)), dur(&Config::body_rate_grace)});
  s.push_back({"drain-grace", "on SIGTERM, time /readyz answers 503 while still serving, before the drain (0 = none)",
               false, false, duration(&Config::drain_grace, milliseconds(0), milliseconds(600'000)),
               dur(&Config::drain_grace)});
  return s;
}

}  // namespace

std::string Setting::env_name() const {
  std::string e = "PARLEY_";
  for (char ch : name) e += ch == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return e;
}

std::string Setting::toml_key() const {
  std::string k = name;
  std::replace(k.begin(), k.end(), '-', '_');
  return k;
}

const std::vector<Setting>& settings() {
  static const std::vector<Setting> all = make_settings();
  return all;
}

}  // namespace config_detail

int Config::effective_threads() const {
  if (threads > 0) return threads;
  const unsigned n = std::thread::hardware_concurrency();
  return n ? static_cast<int>(n) : 1;
}

int Config::effective_worker_threads() const {
  if (worker_threads > 0) return worker_threads;
  // One core stays free of hashing, so that a login storm cannot take every core from the I/O threads.
  const unsigned n = std::thread::hardware_concurrency();
  return n > 1 ? static_cast<int>(n) - 1 : 1;
}

ConfigError::ConfigError(std::string setting, std::string value, std::string source, std::string allowed)
    : std::runtime_error(fmt::format("invalid setting {} = \"{}\" (from {}): {}", setting, value, source, allowed)),
      setting_(std::move(setting)) {}

namespace {

bool secret_query_key(std::string_view key) {
  std::string k(key);
  for (char& ch : k) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (std::string_view word : {"pass", "pwd", "secret", "token", "key", "auth", "credential"})
    if (k.find(word) != std::string::npos) return true;
  return false;
}

}  // namespace

std::string mask_url_password(const std::string& url) {
  // The userinfo: up to the last '@' (a password may hold '@', '/' or '?'); masking too much is
  // better than too little.
  const auto scheme = url.find("://");
  const std::size_t start = scheme == std::string::npos ? 0 : scheme + 3;
  std::string out = url;
  if (const auto at = url.rfind('@'); at != std::string::npos && at >= start) {
    const auto colon = url.find(':', start);
    if (colon != std::string::npos && colon < at) {
      out = url.substr(0, colon + 1) + "***" + url.substr(at);
    } else if (url.starts_with("redis://") || url.starts_with("rediss://")) {
      out = url.substr(0, start) + "***" + url.substr(at);  // redis://PASSWORD@host, the old form
    }
  }
  // Parameters named like secrets (?password=, &auth_token=, ?sslkey=) keep only their name.
  std::string masked;
  std::size_t i = 0;
  while (i < out.size()) {
    const auto sep = out.find_first_of("?&", i);
    if (sep == std::string::npos) break;
    const auto eq = out.find('=', sep + 1);
    const auto next = out.find_first_of("?&", sep + 1);
    masked.append(out, i, sep + 1 - i);
    i = sep + 1;
    if (eq == std::string::npos || (next != std::string::npos && next < eq)) continue;
    if (!secret_query_key(std::string_view(out).substr(sep + 1, eq - sep - 1))) continue;
    masked.append(out, i, eq + 1 - i);
    masked += "***";
    i = next == std::string::npos ? out.size() : next;
  }
  masked.append(out, std::min(i, out.size()), std::string::npos);
  return masked;
}

}  // namespace parley
