#include "rest_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <fmt/core.h>

#include "resolve.hpp"

namespace parley::bench {

namespace http = boost::beast::http;

RestClient::RestClient(TargetUrl base) : base_(std::move(base)), socket_(io_) {}

std::expected<RestResponse, std::string> RestClient::call(std::string_view method, std::string_view target,
                                                          std::string_view body, std::string_view token) {
  const bool reused = socket_.is_open();
  auto r = once(method, target, body, token);
  if (!r && reused) {  // the server may have closed an idle keep-alive connection: retry once
    boost::system::error_code ignored;
    socket_.close(ignored);
    r = once(method, target, body, token);
  }
  return r;
}

std::expected<RestResponse, std::string> RestClient::once(std::string_view method, std::string_view target,
                                                          std::string_view body, std::string_view token) {
  boost::system::error_code ec;
  if (!socket_.is_open()) {
    auto endpoint = resolve_one(base_);
    if (!endpoint) return std::unexpected(endpoint.error());
    socket_.connect(*endpoint, ec);
    if (ec) return std::unexpected(fmt::format("connect {}: {}", base_.text, ec.message()));
    buffer_.clear();
  }
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, base_.host_header());
  req.set(http::field::user_agent, "parley-bench");
  if (!token.empty()) req.set(http::field::authorization, fmt::format("Bearer {}", token));
  if (!body.empty()) {
    req.set(http::field::content_type, "application/json");
    req.body() = std::string(body);
  }
  req.prepare_payload();
  http::write(socket_, req, ec);
  if (ec) return std::unexpected(fmt::format("{} {}: write: {}", method, target, ec.message()));
  http::response<http::string_body> res;
  http::read(socket_, buffer_, res, ec);
  if (ec) {
    socket_.close(ec);
    return std::unexpected(fmt::format("{} {}: read: {}", method, target, ec.message()));
  }
  if (!res.keep_alive()) socket_.close(ec);
  RestResponse out;
  out.status = res.result_int();
  out.body = std::move(res.body());
  if (!out.body.empty()) {
    boost::system::error_code jec;
    out.json = boost::json::parse(out.body, jec);
    if (jec) out.json = nullptr;
  }
  return out;
}

}  // namespace parley::bench
