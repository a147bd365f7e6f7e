#include "net/framing.hpp"

#include "core/ascii.hpp"

#include <boost/beast/http/field.hpp>

#include <cctype>

namespace parley::net {
namespace {

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && ascii::iequals(s.substr(0, prefix.size()), prefix);
}

// uri-host [ ":" port ] (RFC 3986 reg-name, IPv4 or IP-literal): no spaces, slashes, '@', '?', '#'.
bool valid_host(std::string_view h) {
  if (h.size() > 255) return false;
  for (char ch : h) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c)) continue;
    switch (c) {
      case '-': case '.': case '_': case '~': case '!': case '$': case '&': case '\'': case '(':
      case ')': case '*': case '+': case ',': case ';': case '=': case ':': case '[': case ']': case '%':
        continue;
      default:
        return false;
    }
  }
  return true;
}

}  // namespace

Problem conflicting_framing() {
  return problems::bad_request(
      "Transfer-Encoding must be chunked alone, once, and without Content-Length", "bad_framing");
}

std::optional<Problem> framing_problem(const RawRequest& head) {
  auto te = head.equal_range(http::field::transfer_encoding);
  if (te.first != te.second) {
    int chunked = 0, other = 0;
    for (auto it = te.first; it != te.second; ++it) {
      std::string_view v = it->value();
      while (!v.empty()) {
        const auto comma = v.find(',');
        const auto coding = ascii::trim_ows(v.substr(0, comma));
        if (!coding.empty()) {
          if (ascii::iequals(coding, "chunked")) ++chunked;
          else ++other;
        }
        v = comma == std::string_view::npos ? std::string_view{} : v.substr(comma + 1);
      }
    }
    if (other > 0)
      return problems::make(501, "unsupported_transfer_encoding",
                            "the only transfer coding this server accepts is chunked");
    if (chunked != 1 || head.count(http::field::content_length) != 0) return conflicting_framing();
  }
  const auto hosts = head.count(http::field::host);
  if (hosts > 1) return problems::bad_request("the request has more than one Host header", "bad_host");
  if (hosts == 0 && head.version() >= 11) return problems::bad_request("the request has no Host header", "bad_host");
  if (hosts == 1 && !valid_host(head[http::field::host]))
    return problems::bad_request("the Host header is not a valid host", "bad_host");
  return std::nullopt;
}

Target split_target(std::string_view target) {
  if (!target.empty() && target.front() != '/') {
    std::size_t scheme = 0;
    if (istarts_with(target, "http://")) scheme = 7;
    else if (istarts_with(target, "https://")) scheme = 8;
    if (scheme != 0) {
      const auto end = target.find_first_of("/?#", scheme);
      target = end == std::string_view::npos ? std::string_view{} : target.substr(end);
      if (target.empty() || target.front() != '/') {
        const auto q = target.find('?');
        return {"/", q == std::string_view::npos ? std::string_view{} : target.substr(q + 1)};
      }
    }
  }
  const auto q = target.find('?');
  return {target.substr(0, q), q == std::string_view::npos ? std::string_view{} : target.substr(q + 1)};
}

}  // namespace parley::net
