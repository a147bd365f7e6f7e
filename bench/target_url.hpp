#pragma once
// The target of a scenario: scheme, host, port and request-target, from a URL given on the
// command line (http://, ws://; no TLS: the bench runs on loopback).
#include <expected>
#include <string>
#include <string_view>

namespace parley::bench {

struct TargetUrl {
  std::string scheme;  // "http" or "ws"
  std::string host;
  std::string port;
  std::string target;  // path and query, at least "/"
  std::string text;    // as given
  std::string host_header() const;  // host, or host:port when the port is not the default
};

std::expected<TargetUrl, std::string> parse_target_url(std::string_view text);

}  // namespace parley::bench
