// Issue 11, item 11: HTTP/1.1 framing as RFC 9112 has it, over raw sockets. Unknown transfer
// codings are refused (501) and the connection closed, so that a body can never be read as the
// next request; Transfer-Encoding with Content-Length is refused (400); a missing or repeated
// Host is 400 bad_host; absolute-form targets are routed by their path.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "http_client.hpp"
#include "problem_assertions.hpp"
#include "server_process.hpp"

namespace parley::it {
namespace {

using namespace std::chrono_literals;

// Sends `raw`, reads one response, and expects the server to close the connection after it
// without answering anything more.
Response refused_and_closed(HttpClient& c, const std::string& raw) {
  c.send_raw(raw);
  Response res;
  auto ec = c.try_read_response(res);
  EXPECT_FALSE(ec) << ec.message();
  std::string more;
  EXPECT_TRUE(c.wait_for_close(3s, &more)) << "the connection stayed open";
  EXPECT_EQ(more, "") << "the server answered again: the body was read as a request";
  return res;
}

const std::string kSmuggled = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

TEST(HardeningFraming, AnUnknownTransferCodingIs501AndItsBodyIsNotANextRequest) {
  ServerProcess server({.args = {"--dev"}});
  for (const std::string te : {"gzip", "gzip, chunked", "identity", "chunked, gzip"}) {
    SCOPED_TRACE(te);
    HttpClient c(server.port());
    auto res = refused_and_closed(c, "POST /dev/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                     "Transfer-Encoding: " + te + "\r\n\r\n" + kSmuggled);
    expect_problem(res, 501, "unsupported_transfer_encoding");
    EXPECT_FALSE(res.keep_alive());
  }
  // Also on two Transfer-Encoding lines.
  HttpClient c(server.port());
  auto res = refused_and_closed(c, "POST /dev/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip\r\n"
                                   "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + kSmuggled);
  expect_problem(res, 501, "unsupported_transfer_encoding");
  // A coding after chunked: chunked is not the final coding, the length cannot be known.
  HttpClient d(server.port());
  res = refused_and_closed(d, "POST /dev/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                              "Transfer-Encoding: gzip\r\n\r\n0\r\n\r\n" + kSmuggled);
  expect_problem(res, 400, "bad_framing");
}

TEST(HardeningFraming, TransferEncodingWithContentLengthIs400) {
  ServerProcess server({.args = {"--dev"}});
  HttpClient c(server.port());
  const std::string chunked_body = "0\r\n\r\n";
  auto res = refused_and_closed(c, "POST /dev/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                   "Content-Length: " + std::to_string(chunked_body.size() + kSmuggled.size()) +
                                   "\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked_body + kSmuggled);
  expect_problem(res, 400, "bad_framing");
  // The other order.
  HttpClient d(server.port());
  res = refused_and_closed(d, "POST /dev/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                              "Transfer-Encoding: chunked\r\nContent-Length: " +
                              std::to_string(chunked_body.size() + kSmuggled.size()) + "\r\n\r\n" + chunked_body + kSmuggled);
  expect_problem(res, 400, "bad_framing");
}

TEST(HardeningFraming, AChunkedBodyIsStillServed) {
  ServerProcess server({.args = {"--dev"}});
  HttpClient c(server.port());
  const std::string json = R"({"name":"chunky"})";
  char size[16];
  std::snprintf(size, sizeof size, "%zx", json.size());
  c.send_raw("POST /dev/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
             "Transfer-Encoding: chunked\r\n\r\n" + std::string(size) + "\r\n" + json + "\r\n0\r\n\r\n");
  auto res = c.read_response();
  EXPECT_EQ(res.result_int(), 200) << res;
  EXPECT_EQ(body_json(res), boost::json::parse(json));
  EXPECT_TRUE(res.keep_alive());
}

TEST(HardeningFraming, AMissingOrRepeatedHostIs400BadHost) {
  ServerProcess server;
  {
    HttpClient c(server.port());
    auto res = refused_and_closed(c, "GET /healthz HTTP/1.1\r\n\r\n");
    expect_problem(res, 400, "bad_host");
  }
  {
    HttpClient c(server.port());
    auto res = refused_and_closed(c, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n");
    expect_problem(res, 400, "bad_host");
  }
  {
    HttpClient c(server.port());
    auto res = refused_and_closed(c, "GET /healthz HTTP/1.1\r\nHost: a b\r\n\r\n");
    expect_problem(res, 400, "bad_host");
  }
  // HTTP/1.0 has no Host requirement.
  HttpClient old(server.port());
  old.send_raw("GET /healthz HTTP/1.0\r\n\r\n");
  auto res = old.read_response();
  EXPECT_EQ(res.result_int(), 200) << res;
}

TEST(HardeningFraming, AnAbsoluteFormTargetIsRoutedByItsPath) {
  ServerProcess server;
  HttpClient c(server.port());
  c.send_raw("GET http://127.0.0.1:" + std::to_string(server.port()) + "/healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  auto res = c.read_response();
  EXPECT_EQ(res.result_int(), 200) << res;
  EXPECT_EQ(body_json(res), boost::json::parse(R"({"status":"ok"})"));
  // With a query string, on the same kept-alive connection.
  c.send_raw("GET HTTP://example.com/readyz?x=1 HTTP/1.1\r\nHost: example.com\r\n\r\n");
  res = c.read_response();
  EXPECT_EQ(res.result_int(), 200) << res;
  EXPECT_EQ(body_json(res).at("status"), "ready") << res;
}

}  // namespace
}  // namespace parley::it
