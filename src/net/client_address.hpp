#pragma once
// The client's address behind trusted reverse proxies (--trusted-proxies). Only a request whose
// TCP peer is a trusted proxy has its X-Forwarded-For (or, without one, RFC 7239 Forwarded
// for=) believed: the chain is walked from the right, trusted hops skipped, and the first
// untrusted address is the client. A malformed or unknown hop before that yields the peer.
#include "core/ip_range.hpp"
#include "net/request.hpp"

#include <string>
#include <vector>

namespace parley::net {

// Parses --trusted-proxies (already validated by the configuration).
IpRanges trusted_proxies(const std::vector<std::string>& entries);

// The client's address for a request whose peer (`peer`, as text) is a trusted proxy.
std::string forwarded_client(const RawRequest& raw, const IpRanges& trusted, const std::string& peer);

}  // namespace parley::net
