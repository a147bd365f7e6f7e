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
  // Appended piece by piece: GCC 12 at -O3 reports a false -Wrestrict for `"?" + std::string(…)`
  // and for assigning a literal here.
  const auto path = u.encoded_path();
  t.target.append(path.empty() ? std::string_view("/") : std::string_view(path.data(), path.size()));
  if (u.has_query()) {
    const auto query = u.encoded_query();
    t.target.push_back('?');
    t.target.append(query.data(), query.size());
  }
  return t;
}

}  // namespace parley::bench
