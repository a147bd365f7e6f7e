// HTTP framing (RFC 9112): transfer codings, Content-Length with Transfer-Encoding, Host;
// absolute-form targets; the client address behind trusted proxies; IP ranges.
#include <gtest/gtest.h>

#include "core/ip_range.hpp"
#include "net/client_address.hpp"
#include "net/framing.hpp"

namespace parley::net {
namespace {

RawRequest head(std::vector<std::pair<std::string, std::string>> fields, unsigned version = 11) {
  RawRequest r{http::verb::post, "/x", version};
  for (auto& [k, v] : fields) r.insert(k, v);
  return r;
}

std::string code_of(const RawRequest& r) {
  auto p = framing_problem(r);
  return p ? std::to_string(p->status) + " " + p->code : "ok";
}

TEST(NetFraming, TransferCodingsOtherThanChunkedAre501) {
  EXPECT_EQ(code_of(head({{"Host", "a"}, {"Transfer-Encoding", "chunked"}})), "ok");
  EXPECT_EQ(code_of(head({{"Host", "a"}, {"Transfer-Encoding", "Chunked"}})), "ok");
  EXPECT_EQ(code_of(head({{"Host", "a"}, {"Transfer-Encoding", "gzip"}})), "501 unsupported_transfer_encoding");
  EXPECT_EQ(code_of(head({{"Host", "a"}, {"Transfer-Encoding", "gzip, chunked"}})), "501 unsupported_transfer_encoding");
  EXPECT_EQ(code_of(head({{"Host", "a"}, {"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "identity"}})),
            "501 unsupported_transfer_encoding");
  EXPECT_EQ(code_of(head({{"Host", "a"}, {"Transfer-Encoding", "chunked, chunked"}})), "400 bad_framing");
  EXPECT_EQ(code_of(head({{"Host", "a"}, {"Transfer-Encoding", ""}})), "400 bad_framing");
}

TEST(NetFraming, TransferEncodingWithContentLengthIs400) {
  EXPECT_EQ(code_of(head({{"Host", "a"}, {"Transfer-Encoding", "chunked"}, {"Content-Length", "5"}})), "400 bad_framing");
  EXPECT_EQ(code_of(head({{"Host", "a"}, {"Content-Length", "5"}})), "ok");
}

TEST(NetFraming, HostMustBeThereOnceAndValid) {
  EXPECT_EQ(code_of(head({})), "400 bad_host");
  EXPECT_EQ(code_of(head({}, 10)), "ok");  // HTTP/1.0 has no Host requirement
  EXPECT_EQ(code_of(head({{"Host", "a"}, {"Host", "b"}})), "400 bad_host");
  EXPECT_EQ(code_of(head({{"Host", "a b"}})), "400 bad_host");
  EXPECT_EQ(code_of(head({{"Host", "user@evil"}})), "400 bad_host");
  EXPECT_EQ(code_of(head({{"Host", "example.com:8080"}})), "ok");
  EXPECT_EQ(code_of(head({{"Host", "[::1]:8080"}})), "ok");
  EXPECT_EQ(code_of(head({{"Host", ""}})), "ok");  // an empty authority is allowed
}

TEST(NetFraming, AbsoluteFormTargetsBecomeOriginForm) {
  auto t = split_target("/v1/rooms?limit=5");
  EXPECT_EQ(t.path, "/v1/rooms");
  EXPECT_EQ(t.query, "limit=5");
  t = split_target("http://example.com:8080/healthz");
  EXPECT_EQ(t.path, "/healthz");
  EXPECT_EQ(t.query, "");
  t = split_target("HTTPS://example.com/a/b?c=d");
  EXPECT_EQ(t.path, "/a/b");
  EXPECT_EQ(t.query, "c=d");
  t = split_target("http://example.com");
  EXPECT_EQ(t.path, "/");
  t = split_target("http://example.com?x=1");
  EXPECT_EQ(t.path, "/");
  EXPECT_EQ(t.query, "x=1");
  t = split_target("*");
  EXPECT_EQ(t.path, "*");
}

TEST(CoreIpRange, ParsesAddressesAndCidrs) {
  namespace ip = boost::asio::ip;
  auto r = IpRange::parse("10.0.0.0/8");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->contains(ip::make_address("10.200.3.4")));
  EXPECT_FALSE(r->contains(ip::make_address("11.0.0.1")));
  EXPECT_TRUE(r->contains(ip::make_address("::ffff:10.1.1.1")));  // IPv4-mapped
  r = IpRange::parse("192.168.1.0/23");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->contains(ip::make_address("192.168.0.200")));
  EXPECT_FALSE(r->contains(ip::make_address("192.168.2.1")));
  r = IpRange::parse("fd00::/8");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->contains(ip::make_address("fd12::1")));
  EXPECT_FALSE(r->contains(ip::make_address("fe80::1")));
  EXPECT_FALSE(r->contains(ip::make_address("10.0.0.1")));
  r = IpRange::parse("127.0.0.1");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->contains(ip::make_address("127.0.0.1")));
  EXPECT_FALSE(r->contains(ip::make_address("127.0.0.2")));
  r = IpRange::parse("0.0.0.0/0");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->contains(ip::make_address("8.8.8.8")));
  for (const char* bad : {"", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0/8", "host.example", "1.2.3.4/x", "1.2.3.4/-1"})
    EXPECT_FALSE(IpRange::parse(bad)) << bad;
}

TEST(CoreIpRange, ParsesForwardedAddressForms) {
  EXPECT_EQ(parse_forwarded_address("1.2.3.4")->to_string(), "1.2.3.4");
  EXPECT_EQ(parse_forwarded_address("1.2.3.4:5678")->to_string(), "1.2.3.4");
  EXPECT_EQ(parse_forwarded_address("2001:db8::1")->to_string(), "2001:db8::1");
  EXPECT_EQ(parse_forwarded_address("[2001:db8::1]")->to_string(), "2001:db8::1");
  EXPECT_EQ(parse_forwarded_address("[2001:db8::1]:443")->to_string(), "2001:db8::1");
  for (const char* bad : {"", "unknown", "_hidden", "1.2.3.4:x", "[1.2.3.4]", "[::1", "1.2.3", "a b"})
    EXPECT_FALSE(parse_forwarded_address(bad)) << bad;
}

struct ProxyCase {
  std::vector<std::pair<std::string, std::string>> fields;
  std::string expected;
};

TEST(NetClientAddress, WalksTheChainFromTheRightSkippingTrustedHops) {
  const auto trusted = trusted_proxies({"127.0.0.1", "10.0.0.0/8", "fd00::/8"});
  const std::string peer = "127.0.0.1";
  const std::vector<ProxyCase> cases = {
      {{}, peer},
      {{{"X-Forwarded-For", "203.0.113.7"}}, "203.0.113.7"},
      // A forged left part: the first untrusted hop from the right wins.
      {{{"X-Forwarded-For", "1.1.1.1, 203.0.113.7"}}, "203.0.113.7"},
      {{{"X-Forwarded-For", "203.0.113.7, 10.1.2.3"}}, "203.0.113.7"},
      {{{"X-Forwarded-For", "1.1.1.1"}, {"X-Forwarded-For", "203.0.113.7, 10.0.0.9"}}, "203.0.113.7"},
      {{{"X-Forwarded-For", "10.0.0.5, 10.0.0.6"}}, "10.0.0.5"},  // all trusted: the leftmost
      {{{"X-Forwarded-For", "2001:db8::7"}}, "2001:db8::7"},
      {{{"X-Forwarded-For", "[2001:db8::7]:1234"}}, "2001:db8::7"},
      {{{"X-Forwarded-For", "203.0.113.7:4711"}}, "203.0.113.7"},
      // Malformed next to us: the peer.
      {{{"X-Forwarded-For", "203.0.113.7, garbage"}}, peer},
      {{{"X-Forwarded-For", "not an ip"}}, peer},
      // Malformed further left than the client: irrelevant.
      {{{"X-Forwarded-For", "garbage, 203.0.113.7"}}, "203.0.113.7"},
      {{{"Forwarded", "for=198.51.100.17"}}, "198.51.100.17"},
      {{{"Forwarded", "for=192.0.2.60;proto=http;by=203.0.113.43, For=\"[2001:db8:cafe::17]:4711\""}}, "2001:db8:cafe::17"},
      {{{"Forwarded", "for=198.51.100.17, for=10.0.0.1"}}, "198.51.100.17"},
      {{{"Forwarded", "for=unknown"}}, peer},
      {{{"Forwarded", "for=_hidden, for=198.51.100.17"}}, "198.51.100.17"},
      {{{"Forwarded", "proto=https"}}, peer},
      // X-Forwarded-For wins over Forwarded.
      {{{"Forwarded", "for=198.51.100.17"}, {"X-Forwarded-For", "203.0.113.7"}}, "203.0.113.7"},
  };
  for (const auto& c : cases) {
    RawRequest r{http::verb::get, "/", 11};
    std::string desc;
    for (auto& [k, v] : c.fields) {
      r.insert(k, v);
      desc += k + ": " + v + "; ";
    }
    EXPECT_EQ(forwarded_client(r, trusted, peer), c.expected) << desc;
  }
}

}  // namespace
}  // namespace parley::net
