#pragma once
// What the Redis client and subscriber share: where Redis is (parsed from a redis:// URL), a
// reply (hiredis parses RESP; this is its copy as a value), and the transport failures a caller
// must handle (a reply of type `error` is a value, not a failure).
#include <chrono>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::bus::redis {

struct Endpoint {
  std::string host = "127.0.0.1";
  std::uint16_t port = 6379;
  std::string password;  // AUTH on connect when set
  int db = 0;            // SELECT on connect when not 0
};

// redis://[:password@]host[:port][/db] (also redis://user:password@…, the user ignored). Throws
// std::invalid_argument on anything else (rediss:// too: hiredis 0.14 has no TLS).
Endpoint parse_url(std::string_view url);

struct Reply {
  enum class Type { nil, integer, string, array, status, error };
  Type type = Type::nil;
  long long integer = 0;
  std::string str;  // string, status and error
  std::vector<Reply> elements;

  bool is_error() const { return type == Type::error; }
  bool is_nil() const { return type == Type::nil; }
};

enum class Error {
  disconnected,     // not connected when the command was issued: it was not sent
  timeout,          // no reply in time (the connection is then dropped and reconnected)
  connection_lost,  // the connection went away before the reply came
};
std::string_view to_string(Error e);

using Result = std::expected<Reply, Error>;

struct Backoff {
  std::chrono::milliseconds min{250};
  // Capped below 5 s so that a Redis that comes back is found again within 5 s.
  std::chrono::milliseconds max{4000};
};

// A command's arguments: `cmd("PUBLISH", channel, payload)`; integers are written in decimal.
// (Build them outside a co_await expression's braces: GCC 12 mishandles braced lists there.)
template <class... A>
std::vector<std::string> cmd(const A&... a) {
  std::vector<std::string> out;
  out.reserve(sizeof...(a));
  auto add = [&out](const auto& v) {
    if constexpr (std::is_integral_v<std::decay_t<decltype(v)>>) out.push_back(std::to_string(v));
    else out.emplace_back(std::string_view(v));
  };
  (add(a), ...);
  return out;
}

}  // namespace parley::bus::redis
