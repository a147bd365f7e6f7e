#include "net/client_address.hpp"

#include "core/ascii.hpp"

#include <boost/beast/http/field.hpp>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>

namespace parley::net {
namespace {

// Splits on `sep` outside double quotes.
template <class F>
void split_outside_quotes(std::string_view s, char sep, F&& each) {
  bool quoted = false;
  std::size_t begin = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '"') quoted = !quoted;
    else if (s[i] == '\\' && quoted) ++i;
    else if (s[i] == sep && !quoted) {
      each(ascii::trim_ows(s.substr(begin, i - begin)));
      begin = i + 1;
    }
  }
  each(ascii::trim_ows(s.substr(std::min(begin, s.size()))));
}

// One hop: its address, or nullopt when the hop is malformed or hidden ("unknown", "_obf").
using Hop = std::optional<boost::asio::ip::address>;

// The for= of one Forwarded element; nullopt (no hop) when the element has none.
std::optional<Hop> forwarded_for(std::string_view element) {
  std::optional<Hop> out;
  split_outside_quotes(element, ';', [&](std::string_view pair) {
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos || !ascii::iequals(ascii::trim_ows(pair.substr(0, eq)), "for")) return;
    auto value = ascii::trim_ows(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    if (value.find_first_of("\\\"") != std::string_view::npos) {
      out = Hop{};
      return;
    }
    out = parse_forwarded_address(value);
  });
  return out;
}

}  // namespace

IpRanges trusted_proxies(const std::vector<std::string>& entries) {
  std::vector<IpRange> ranges;
  for (const auto& e : entries)
    if (auto r = IpRange::parse(e)) ranges.push_back(*r);
  return IpRanges(std::move(ranges));
}

std::string forwarded_client(const RawRequest& raw, const IpRanges& trusted, const std::string& peer) {
  std::vector<Hop> hops;  // left (the original client) to right (the hop next to the peer)
  auto xff = raw.equal_range(std::string_view("X-Forwarded-For"));
  if (xff.first != xff.second) {
    for (auto it = xff.first; it != xff.second; ++it)
      split_outside_quotes(it->value(), ',', [&](std::string_view v) {
        if (!v.empty()) hops.push_back(parse_forwarded_address(v));
      });
  } else {
    auto fwd = raw.equal_range(http::field::forwarded);
    for (auto it = fwd.first; it != fwd.second; ++it)
      split_outside_quotes(it->value(), ',', [&](std::string_view element) {
        if (element.empty()) return;
        if (auto hop = forwarded_for(element)) hops.push_back(*hop);
      });
  }
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    if (!*it) return peer;  // a hop we cannot read: believe nothing further left
    if (!trusted.contains(**it)) return (*it)->to_string();
  }
  // Every hop is a trusted proxy: the leftmost is as close to the client as we can tell.
  if (!hops.empty()) return hops.front()->to_string();
  return peer;
}

}  // namespace parley::net
