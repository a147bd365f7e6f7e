#include "resolve.hpp"

#include <boost/asio/io_context.hpp>
#include <fmt/core.h>

namespace parley::bench {

std::expected<boost::asio::ip::tcp::endpoint, std::string> resolve_one(const TargetUrl& url) {
  boost::asio::io_context ctx;
  boost::asio::ip::tcp::resolver resolver(ctx);
  boost::system::error_code ec;
  auto results = resolver.resolve(url.host, url.port, ec);
  if (ec || results.empty())
    return std::unexpected(fmt::format("cannot resolve {}:{}: {}", url.host, url.port, ec.message()));
  return results.begin()->endpoint();
}

}  // namespace parley::bench
