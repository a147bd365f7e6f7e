#pragma once
// Resolves a target's host once, before the load starts (loopback: no DNS during a run).
#include <expected>
#include <string>

#include <boost/asio/ip/tcp.hpp>

#include "target_url.hpp"

namespace parley::bench {

std::expected<boost::asio::ip::tcp::endpoint, std::string> resolve_one(const TargetUrl& url);

}  // namespace parley::bench
