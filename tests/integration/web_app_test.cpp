// The web app's files at / (--web-root): caching by kind of file, gzip variants, ETag
// revalidation, the client-side-route fallback to index.html, and the API staying the API.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "http_client.hpp"
#include "problem_assertions.hpp"
#include "server_process.hpp"
#include "temp_dir.hpp"

namespace parley::it {
namespace {

namespace http = boost::beast::http;

const std::string kIndex = "<!doctype html><title>app</title><script type=module src=/assets/index-3f9a1c.js></script>";
const std::string kScript = "console.log('parley');";
const std::string kScriptGz = "pretend-these-are-gzip-bytes";

void write(const std::filesystem::path& p, const std::string& bytes) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
}

struct AppBuild {
  TempDir dir{"parley-web"};
  AppBuild() {
    write(dir.path() / "index.html", kIndex);
    write(dir.path() / "assets" / "index-3f9a1c.js", kScript);
    write(dir.path() / "assets" / "index-3f9a1c.js.gz", kScriptGz);
    write(dir.path() / "favicon.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>");
    write(dir.path() / ".hidden", "secret");
  }
};

TEST(WebApp, ServesIndexAndHashedAssetsWithTheirCaching) {
  AppBuild app;
  ServerProcess server({.args = {"--web-root", app.dir.path().string()}});
  HttpClient c(server.port());

  auto index = c.get("/");
  ASSERT_EQ(index.result_int(), 200);
  EXPECT_EQ(index.body(), kIndex);
  EXPECT_EQ(header(index, "Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(header(index, "Cache-Control"), "no-cache");
  EXPECT_FALSE(header(index, "ETag").empty());
  EXPECT_FALSE(header(index, "Content-Security-Policy").empty());

  auto js = c.get("/assets/index-3f9a1c.js");
  ASSERT_EQ(js.result_int(), 200);
  EXPECT_EQ(js.body(), kScript);
  EXPECT_EQ(header(js, "Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(header(js, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(header(js, "Vary"), "Accept-Encoding");
  EXPECT_FALSE(has_header(js, "Content-Encoding"));

  auto svg = c.get("/favicon.svg");
  ASSERT_EQ(svg.result_int(), 200);
  EXPECT_EQ(header(svg, "Content-Type"), "image/svg+xml");
  EXPECT_EQ(header(svg, "Cache-Control"), "no-cache");

  auto head = c.request(http::verb::head, "/");
  EXPECT_EQ(head.result_int(), 200);
  EXPECT_EQ(header(head, "Content-Length"), std::to_string(kIndex.size()));
}

TEST(WebApp, SendsTheGzipVariantOnlyToClientsThatAcceptIt) {
  AppBuild app;
  ServerProcess server({.args = {"--web-root", app.dir.path().string()}});
  HttpClient c(server.port());
  auto gz = c.get("/assets/index-3f9a1c.js", {{"Accept-Encoding", "br, gzip;q=0.8"}});
  ASSERT_EQ(gz.result_int(), 200);
  EXPECT_EQ(header(gz, "Content-Encoding"), "gzip");
  EXPECT_EQ(gz.body(), kScriptGz);
  auto refused = c.get("/assets/index-3f9a1c.js", {{"Accept-Encoding", "gzip;q=0, br"}});
  EXPECT_FALSE(has_header(refused, "Content-Encoding"));
  EXPECT_EQ(refused.body(), kScript);
  // The .gz file itself is not a file of the app.
  expect_problem(c.get("/assets/index-3f9a1c.js.gz"), 404, "not_found");
}

TEST(WebApp, RevalidatesByETag) {
  AppBuild app;
  ServerProcess server({.args = {"--web-root", app.dir.path().string()}});
  HttpClient c(server.port());
  const auto etag = header(c.get("/"), "ETag");
  ASSERT_FALSE(etag.empty());
  auto again = c.get("/", {{"If-None-Match", etag}});
  EXPECT_EQ(again.result_int(), 304);
  EXPECT_TRUE(again.body().empty());
  EXPECT_EQ(header(again, "ETag"), etag);
  EXPECT_EQ(c.get("/", {{"If-None-Match", "W/\"0000000000000000-1\""}}).result_int(), 200);
}

TEST(WebApp, ClientSideRoutesGetTheIndexAndTheApiStaysTheApi) {
  AppBuild app;
  ServerProcess server({.args = {"--web-root", app.dir.path().string()}});
  HttpClient c(server.port());
  for (const std::string path : {"/verify-email?token=abc", "/rooms/123", "/settings/sessions"}) {
    auto res = c.get(path);
    EXPECT_EQ(res.result_int(), 200) << path;
    EXPECT_EQ(res.body(), kIndex) << path;
  }
  // Unknown API paths, missing files and other methods stay problems.
  expect_problem(c.get("/v1/nothing-here"), 404, "not_found");
  expect_problem(c.get("/.well-known/nothing"), 404, "not_found");
  expect_problem(c.get("/assets/gone-123.js"), 404, "not_found");
  expect_problem(c.get("/missing.png"), 404, "not_found");
  expect_problem(c.get("/.hidden"), 404, "not_found");
  expect_problem(c.get("/../etc/passwd"), 404, "not_found");
  expect_problem(c.request(http::verb::post, "/somewhere"), 404, "not_found");
  // The real routes still win.
  EXPECT_EQ(c.get("/healthz").body(), R"({"status":"ok"})");
}

TEST(WebApp, OffServesNoApp) {
  AppBuild app;
  ServerProcess server({.args = {"--web-root", "off"}});
  HttpClient c(server.port());
  expect_problem(c.get("/"), 404, "not_found");
}

TEST(WebApp, AWebRootWithoutAnAppBuildStopsTheServerWithExitTwo) {
  TempDir empty("parley-web-empty");
  ServerProcess server({.args = {"--web-root", empty.path().string()}, .wait_ready = false});
  EXPECT_EQ(server.wait_exit(std::chrono::seconds(10)), 2) << server.describe();
  EXPECT_NE(server.stdout_text().find("no index.html"), std::string::npos) << server.describe();
}

}  // namespace
}  // namespace parley::it
