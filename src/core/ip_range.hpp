#pragma once
// IP addresses and CIDR ranges (IPv4 and IPv6), for --trusted-proxies: "10.0.0.1",
// "10.0.0.0/8", "::1", "fd00::/8". An IPv4-mapped IPv6 address (::ffff:a.b.c.d) counts as the
// IPv4 address it maps.
#include <boost/asio/ip/address.hpp>

#include <array>
#include <optional>
#include <string_view>
#include <vector>

namespace parley {

class IpRange {
 public:
  // nullopt when `text` is neither an address nor ADDRESS/PREFIX with a prefix the family allows.
  static std::optional<IpRange> parse(std::string_view text);
  bool contains(const boost::asio::ip::address& a) const;

 private:
  bool v6_ = false;
  unsigned prefix_ = 0;
  std::array<unsigned char, 16> bytes_{};
};

class IpRanges {
 public:
  IpRanges() = default;
  explicit IpRanges(std::vector<IpRange> ranges) : ranges_(std::move(ranges)) {}
  bool empty() const { return ranges_.empty(); }
  bool contains(const boost::asio::ip::address& a) const;

 private:
  std::vector<IpRange> ranges_;
};

// The address with an IPv4-mapped IPv6 address turned into IPv4.
boost::asio::ip::address unmapped(const boost::asio::ip::address& a);

// An address as a client or proxy writes it in X-Forwarded-For or Forwarded's for=: "1.2.3.4",
// "1.2.3.4:5678", "2001:db8::1", "[2001:db8::1]" or "[2001:db8::1]:443". nullopt otherwise.
std::optional<boost::asio::ip::address> parse_forwarded_address(std::string_view text);

}  // namespace parley
