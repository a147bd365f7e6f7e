#include "target_url.hpp"

#include <boost/url/parse.hpp>
#include <fmt/core.h>

namespace parley::bench {

std::string TargetUrl::host_header() const { return port == "80" ? host : host + ":" + port; }

std::expected<TargetUrl, std::string> parse_target_url(std::string_view text) {
  auto parsed = boost::urls::parse_uri(text);
  if (!parsed) return std::unexpected(fmt::format("not a URL: '{}' ({})", text, parsed.error().message()));
  const auto& u = *parsed;
  TargetUrl t;
  t.text = std::string(text);
  t.scheme = std::string(u.scheme());
  if (t.scheme != "http" && t.scheme != "ws")
    return std::unexpected(fmt::format("unsupported scheme '{}' in '{}' (use http:// or ws://)", t.scheme, text));
  t.host = std::string(u.encoded_host());
  if (t.host.empty()) return std::unexpected(fmt::format("no host in '{}'", text));
  t.port = u.has_port() ? std::string(u.port()) : std::string("80");
  t.target = std::string(u.encoded_path());
  if (t.target.empty()) t.target = "/";
  if (u.has_query()) t.target += "?" + std::string(u.encoded_query());
  return t;
}

}  // namespace parley::bench
