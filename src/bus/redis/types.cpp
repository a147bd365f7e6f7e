#include "bus/redis/types.hpp"

#include <boost/url/parse.hpp>

#include <charconv>
#include <stdexcept>

namespace parley::bus::redis {

Endpoint parse_url(std::string_view text) {
  auto parsed = boost::urls::parse_uri(text);
  if (!parsed) throw std::invalid_argument("not a URL");
  const auto& u = *parsed;
  if (u.scheme() != "redis") throw std::invalid_argument("expected redis://");
  Endpoint ep;
  if (u.host().empty()) throw std::invalid_argument("no host");
  ep.host = u.host_address();  // without the brackets of an IPv6 literal
  if (u.has_port()) {
    if (u.port_number() == 0) throw std::invalid_argument("bad port");
    ep.port = u.port_number();
  }
  if (u.has_password()) ep.password = u.password();
  else if (u.has_userinfo() && !u.user().empty()) ep.password = u.user();  // redis://secret@host, the old form
  std::string_view path = u.encoded_path();
  if (!path.empty() && path != "/") {
    path.remove_prefix(1);
    auto [end, ec] = std::from_chars(path.data(), path.data() + path.size(), ep.db);
    if (ec != std::errc{} || end != path.data() + path.size() || ep.db < 0) throw std::invalid_argument("bad database number");
  }
  return ep;
}

std::string_view to_string(Error e) {
  switch (e) {
    case Error::disconnected: return "redis disconnected";
    case Error::timeout: return "redis timeout";
    case Error::connection_lost: return "redis connection lost";
  }
  return "redis error";
}

}  // namespace parley::bus::redis
