#include "core/ip_range.hpp"

#include <charconv>
#include <string>

namespace parley {
namespace {

std::optional<boost::asio::ip::address> parse_address(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  boost::system::error_code ec;
  const auto a = boost::asio::ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  // A scope id ("fe80::1%eth0") is not something a peer or a proxy header names.
  if (a.is_v6() && a.to_v6().scope_id() != 0) return std::nullopt;
  return unmapped(a);
}

bool all_digits(std::string_view s) {
  if (s.empty() || s.size() > 5) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

boost::asio::ip::address unmapped(const boost::asio::ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped())
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6());
  return a;
}

std::optional<IpRange> IpRange::parse(std::string_view text) {
  const auto slash = text.find('/');
  const auto addr = parse_address(text.substr(0, slash));
  if (!addr) return std::nullopt;
  IpRange r;
  r.v6_ = addr->is_v6();
  const unsigned max = r.v6_ ? 128 : 32;
  r.prefix_ = max;
  if (slash != std::string_view::npos) {
    const auto digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    unsigned p = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), p);
    if (ec != std::errc{} || end != digits.data() + digits.size() || p > max) return std::nullopt;
    r.prefix_ = p;
  }
  if (r.v6_) {
    const auto b = addr->to_v6().to_bytes();
    std::copy(b.begin(), b.end(), r.bytes_.begin());
  } else {
    const auto b = addr->to_v4().to_bytes();
    std::copy(b.begin(), b.end(), r.bytes_.begin());
  }
  return r;
}

bool IpRange::contains(const boost::asio::ip::address& in) const {
  const auto a = unmapped(in);
  if (a.is_v6() != v6_) return false;
  std::array<unsigned char, 16> b{};
  if (v6_) {
    const auto v = a.to_v6().to_bytes();
    std::copy(v.begin(), v.end(), b.begin());
  } else {
    const auto v = a.to_v4().to_bytes();
    std::copy(v.begin(), v.end(), b.begin());
  }
  const unsigned whole = prefix_ / 8, rest = prefix_ % 8;
  for (unsigned i = 0; i < whole; ++i)
    if (b[i] != bytes_[i]) return false;
  if (rest == 0) return true;
  const auto mask = static_cast<unsigned char>(0xFFu << (8 - rest));
  return (b[whole] & mask) == (bytes_[whole] & mask);
}

bool IpRanges::contains(const boost::asio::ip::address& a) const {
  for (const auto& r : ranges_)
    if (r.contains(a)) return true;
  return false;
}

std::optional<boost::asio::ip::address> parse_forwarded_address(std::string_view t) {
  if (t.empty()) return std::nullopt;
  if (t.front() == '[') {
    const auto close = t.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const auto rest = t.substr(close + 1);
    if (!rest.empty() && (rest.front() != ':' || !all_digits(rest.substr(1)))) return std::nullopt;
    const auto a = parse_address(t.substr(1, close - 1));
    if (!a || !a->is_v6()) return std::nullopt;
    return a;
  }
  const auto colon = t.find(':');
  if (colon != std::string_view::npos && t.find(':', colon + 1) == std::string_view::npos) {
    // IPv4 with a port.
    if (!all_digits(t.substr(colon + 1))) return std::nullopt;
    const auto a = parse_address(t.substr(0, colon));
    if (!a || !a->is_v4()) return std::nullopt;
    return a;
  }
  return parse_address(t);
}

}  // namespace parley
