#pragma once
// A small blocking HTTP/1.1 JSON client for the set-up steps of a scenario (not for load):
// one keep-alive connection, reopened once when the server closed it.
#include <expected>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/json/value.hpp>

#include "target_url.hpp"

namespace parley::bench {

struct RestResponse {
  unsigned status = 0;
  boost::json::value json;  // null when the body is empty or not JSON
  std::string body;
};

class RestClient {
 public:
  explicit RestClient(TargetUrl base);
  // method "GET"/"POST"…, target "/v1/…", body JSON text or empty, bearer token or empty.
  std::expected<RestResponse, std::string> call(std::string_view method, std::string_view target,
                                                std::string_view body = {}, std::string_view token = {});

 private:
  std::expected<RestResponse, std::string> once(std::string_view method, std::string_view target,
                                                std::string_view body, std::string_view token);
  TargetUrl base_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace parley::bench
