// The web app: the built files of web/app (Vite's dist/) at /, with the SPA fallback; or, when
// there is no build, a small page at / that says how to get one.
#include "app/app.hpp"
#include "core/log.hpp"
#include "net/static_files.hpp"

#include <stdexcept>

#ifndef PARLEY_DEFAULT_WEB_ROOT
#define PARLEY_DEFAULT_WEB_ROOT ""
#endif

namespace parley::app {
namespace {

constexpr const char* kNoAppPage = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Parley</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222}
code{background:#f2f2f2;padding:.1rem .3rem;border-radius:3px}@media(prefers-color-scheme:dark){body{background:#111;color:#ddd}code{background:#333}}</style>
</head><body>
<h1>Parley is running</h1>
<p>The API answers under <code>/v1</code> (health: <a href="/healthz">/healthz</a>).</p>
<p>The web app is not built. <code>scripts/serve.sh</code> builds it (<code>web/app</code>) before it starts the
server; or build it by hand (<code>cd web/app &amp;&amp; npm ci &amp;&amp; npm run build</code>) and start
<code>parley serve --web-root web/app/dist</code>.</p>
</body></html>
)";

}  // namespace

void add_web_routes(net::Router& router, const Config& config) {
  if (config.web_root == "off") return;
  std::filesystem::path root = config.web_root;
  const bool explicit_root = !root.empty();
  if (!explicit_root) root = PARLEY_DEFAULT_WEB_ROOT;
  std::error_code ec;
  if (!explicit_root && (root.empty() || !std::filesystem::is_regular_file(root / "index.html", ec))) {
    log::info("no web app build: serving a note at /", {{"looked_in", root.string()}});
    router.get("/", [](net::Request&) -> asio::awaitable<net::Response> {
      co_return net::Response::text(200, kNoAppPage, "text/html; charset=utf-8");
    });
    return;
  }
  auto files = net::StaticFiles::load(root);  // throws, naming the folder, when it is not an app build
  log::info("serving the web app", {{"web_root", root.string()}, {"files", files->file_count()},
                                    {"bytes", files->total_bytes()}});
  router.fallback([files](net::Request& req) -> asio::awaitable<net::Response> {
    auto res = files->serve(req);
    if (!res) throw ApiError(problems::not_found("no route for " + std::string(req.path)));
    co_return std::move(*res);
  });
}

}  // namespace parley::app
