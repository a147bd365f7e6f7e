// The JSON log: the "listening" line, one line per request with its fields, trace ids taken
// from traceparent, and no Authorization header value anywhere in the output.
#include <gtest/gtest.h>

#include <signal.h>

#include <boost/json/object.hpp>
#include <regex>
#include <string>

#include "http_client.hpp"
#include "log_lines.hpp"
#include "server_process.hpp"
#include "ws_client.hpp"

namespace parley::it {
namespace {

std::optional<boost::json::object> request_line(const ServerProcess& server, const std::string& id) {
  return server.wait_for_log([&](const boost::json::object& line) {
    return log_string(line, "msg") == "request" && log_string(line, "request_id") == id;
  });
}

TEST(RequestLog, ListeningLineNamesAddressPortAndThreads) {
  ServerProcess server({.args = {"--threads", "2"}});
  auto line = server.wait_for_msg("listening");
  ASSERT_TRUE(line);
  EXPECT_EQ(log_string(*line, "address"), "127.0.0.1");
  auto* port = line->if_contains("port");
  ASSERT_TRUE(port != nullptr && port->is_int64());
  EXPECT_EQ(port->as_int64(), server.port());
  EXPECT_GT(port->as_int64(), 0);
  auto* threads = line->if_contains("threads");
  ASSERT_TRUE(threads != nullptr && threads->is_int64()) << *line;
  EXPECT_EQ(threads->as_int64(), 2);
}

TEST(RequestLog, EachRequestLogsMethodRouteStatusBytesDuration) {
  ServerProcess server;
  HttpClient client(server.port());
  auto res = client.get("/healthz", {{"X-Request-Id", "it-log-fields"}});
  ASSERT_EQ(res.result_int(), 200);
  auto line = request_line(server, "it-log-fields");
  ASSERT_TRUE(line) << server.describe();
  EXPECT_EQ(log_string(*line, "level"), "info");
  EXPECT_FALSE(log_string(*line, "ts").empty());
  EXPECT_EQ(log_string(*line, "method"), "GET");
  EXPECT_EQ(log_string(*line, "route"), "/healthz");
  auto* status = line->if_contains("status");
  ASSERT_TRUE(status != nullptr && status->is_int64()) << *line;
  EXPECT_EQ(status->as_int64(), 200);
  auto* bytes = line->if_contains("bytes");
  ASSERT_TRUE(bytes != nullptr && (bytes->is_int64() || bytes->is_uint64())) << *line;
  EXPECT_EQ(bytes->to_number<std::int64_t>(), static_cast<std::int64_t>(res.body().size()));
  auto* duration = line->if_contains("duration_ms");
  ASSERT_TRUE(duration != nullptr && duration->is_number()) << *line;
  EXPECT_GE(duration->to_number<double>(), 0.0);
  EXPECT_TRUE(std::regex_match(log_string(*line, "trace_id"), std::regex("[0-9a-f]{32}"))) << *line;
  EXPECT_NE(log_string(*line, "remote").find("127.0.0.1"), std::string::npos) << *line;
}

TEST(RequestLog, UnknownPathIsLoggedWithStatus404) {
  ServerProcess server;
  HttpClient client(server.port());
  client.get("/no/such/thing-777", {{"X-Request-Id", "it-log-404"}});
  auto line = request_line(server, "it-log-404");
  ASSERT_TRUE(line) << server.describe();
  EXPECT_EQ(line->at("status").to_number<int>(), 404);
  // route is the route pattern: a raw unknown path would make every URL a new label value
  EXPECT_EQ(log_string(*line, "route").find("thing-777"), std::string::npos) << *line;
}

TEST(RequestLog, TraceIdComesFromTraceparent) {
  ServerProcess server;
  HttpClient client(server.port());
  const std::string trace = "0af7651916cd43dd8448eb211c80319c";
  client.get("/healthz", {{"X-Request-Id", "it-log-trace"},
                          {"traceparent", "00-" + trace + "-b7ad6b7169203331-01"}});
  auto line = request_line(server, "it-log-trace");
  ASSERT_TRUE(line) << server.describe();
  EXPECT_EQ(log_string(*line, "trace_id"), trace);
}

TEST(RequestLog, AuthorizationHeaderNeverReachesTheOutput) {
  const std::string secret = "secret-token-xyz";
  ServerProcess server({.args = {"--log-level", "debug", "--dev"}});
  HttpClient client(server.port());
  const Headers auth{{"Authorization", "Bearer " + secret}, {"X-Request-Id", "it-auth-1"}};
  client.get("/healthz", auth);
  client.get("/no/such/path", {{"Authorization", "Bearer " + secret}, {"X-Request-Id", "it-auth-2"}});
  client.post_json("/dev/echo", "{not json", {{"Authorization", "Bearer " + secret},
                                               {"X-Request-Id", "it-auth-3"}});
  client.post_json("/dev/echo", R"({"name":"a"})", {{"Authorization", "Bearer " + secret},
                                                     {"X-Request-Id", "it-auth-4"}});
  {
    WsClient ws(server.port());
    ws.connect("/v1/ws", {{"Authorization", "Bearer " + secret}});
    ws.send_text(R"({"op":"ping","id":"p"})");
    ws.read_text();
    ws.close();
  }
  for (auto id : {"it-auth-1", "it-auth-2", "it-auth-3", "it-auth-4"})
    EXPECT_TRUE(request_line(server, id)) << id << "\n" << server.describe();
  // Stop the server so everything it buffered is written out.
  server.send_signal(SIGTERM);
  server.wait_exit(std::chrono::seconds(15));
  auto out = server.stdout_text() + server.stderr_text();
  EXPECT_EQ(out.find(secret), std::string::npos) << server.describe();
}

}  // namespace
}  // namespace parley::it
