#pragma once
// Runs one asynchronous Asio/Beast operation to completion on a private io_context, which turns
// the async API (the one that honours beast::tcp_stream::expires_after) into a blocking call
// with a deadline.
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/error.hpp>
#include <cstddef>

namespace parley::it {

template <class Initiate>
boost::beast::error_code run_op(boost::asio::io_context& ioc, Initiate&& initiate,
                                std::size_t* transferred = nullptr) {
  boost::beast::error_code result;
  std::size_t n = 0;
  initiate([&](boost::beast::error_code ec, auto&&... rest) {
    result = ec;
    if constexpr (sizeof...(rest) == 1) n = static_cast<std::size_t>((rest, ...));
  });
  ioc.restart();
  ioc.run();
  if (transferred != nullptr) *transferred = n;
  return result;
}

}  // namespace parley::it
