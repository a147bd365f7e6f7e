// /v1/auth/*: sign-up, login, refresh, logout, sessions; /.well-known/jwks.json.
#include "auth/auth_routes.hpp"

#include "auth/device_tokens.hpp"
#include "core/clock.hpp"
#include "core/encoding.hpp"
#include "core/utf8.hpp"
#include "net/json_fields.hpp"

#include <boost/json.hpp>

#include <charconv>

namespace parley::auth {

asio::awaitable<Principal> require_user(AuthService& auth, const net::Request& req) {
  const auto header = req.header("Authorization");
  constexpr std::string_view prefix = "Bearer ";
  if (header.size() <= prefix.size() || !header.starts_with(prefix))
    throw ApiError(problems::unauthenticated("an access token is required (Authorization: Bearer …)"));
  co_return co_await auth.authenticate(header.substr(prefix.size()));
}

ClientInfo client_info(const net::Request& req) {
  // Stored and shown back to the user (sessions, export): valid UTF-8 only, cut at a character.
  const std::string agent = utf8::scrub(req.header("User-Agent"));
  return {std::string(utf8::prefix(agent, 256)), utf8::scrub(req.remote_ip)};
}

namespace {

boost::json::object token_json(const TokenPair& t) {
  boost::json::object o{{"access_token", t.access_token},
                        {"refresh_token", t.refresh_token},
                        {"token_type", "Bearer"},
                        {"expires_in", t.expires_in}};
  if (!t.device_token.empty()) o["device_token"] = t.device_token;
  return o;
}

// The device token also as a cookie, for browsers (HttpOnly: scripts never see it).
net::Response with_device_cookie(net::Response res, const TokenPair& t, const Config& config) {
  if (!t.device_token.empty())
    res.header("Set-Cookie", device_cookie(t.device_token, config.public_url.starts_with("https://")));
  return res;
}

// Sessions list cursors: base64url of "s1:<id>", the exclusive upper bound of the next page.
std::string session_cursor(std::int64_t before_id) { return encoding::base64url("s1:" + std::to_string(before_id)); }

std::optional<std::int64_t> parse_session_cursor(std::string_view cursor) {
  if (cursor.empty() || cursor.size() > 64) return std::nullopt;
  auto bytes = encoding::from_base64url(cursor);
  if (!bytes) return std::nullopt;
  const std::string text(bytes->begin(), bytes->end());
  if (!text.starts_with("s1:")) return std::nullopt;
  std::int64_t v = 0;
  const char* first = text.data() + 3;
  const char* last = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(first, last, v);
  if (first == last || ec != std::errc{} || ptr != last || v <= 0) return std::nullopt;
  return v;
}

ApiError invalid_query(const char* field, std::string message) {
  boost::json::object fields;
  fields[field] = std::move(message);
  return ApiError(problems::validation(std::move(fields)));
}

int limit_param(const net::Request& req) {
  const auto text = req.query_param("limit");
  if (!text) return 50;
  int v = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (text->empty() || ec != std::errc{} || ptr != text->data() + text->size() || v < 1 || v > 100)
    throw invalid_query("limit", "an integer from 1 to 100");
  return v;
}

boost::json::object user_tokens_json(const User& u, const TokenPair& t) {
  auto o = token_json(t);
  o["user"] = user_json(u, true);
  return o;
}

}  // namespace

void add_auth_routes(net::Router& router, AuthService& auth, KeyRing& keys) {
  router.get("/.well-known/jwks.json", [&keys](net::Request&) -> asio::awaitable<net::Response> {
    auto res = net::Response::json(200, keys.jwks(clock::unix_ms(clock::now()), kAccessTokenTtlSeconds * 1000 + 60'000));
    res.header("Cache-Control", "public, max-age=300");
    co_return res;
  });

  router.post("/v1/auth/signup", [&auth](net::Request& req) -> asio::awaitable<net::Response> {
    net::JsonFields f(req);
    SignupInput in;
    in.email = f.string("email", true).value_or("");
    in.password = f.string("password", true).value_or("");
    in.username = f.string("username", true).value_or("");
    in.display_name = f.string("display_name").value_or("");
    f.done();
    auto [user, tokens] = co_await auth.signup(std::move(in), client_info(req));
    co_return with_device_cookie(net::Response::json(201, user_tokens_json(user, tokens)), tokens, auth.config());
  });

  router.post("/v1/auth/login", [&auth](net::Request& req) -> asio::awaitable<net::Response> {
    net::JsonFields f(req);
    auto login = f.string("login", true);
    auto password = f.string("password", true);
    auto totp = f.string("totp");
    // A device token from an earlier login: in the body (non-browser clients) or the cookie.
    std::string device = f.string("device_token").value_or("");
    f.done();
    if (device.empty()) device = std::string(cookie_value(req.header("Cookie"), kDeviceCookie));
    auto [user, tokens] = co_await auth.login(*login, *password, totp, client_info(req), std::move(device));
    co_return with_device_cookie(net::Response::json(200, user_tokens_json(user, tokens)), tokens, auth.config());
  });

  router.post("/v1/auth/refresh", [&auth](net::Request& req) -> asio::awaitable<net::Response> {
    net::JsonFields f(req);
    auto token = f.string("refresh_token", true);
    f.done();
    const auto tokens = co_await auth.refresh(*token, client_info(req));
    co_return with_device_cookie(net::Response::json(200, token_json(tokens)), tokens, auth.config());
  });

  router.post("/v1/auth/logout", [&auth](net::Request& req) -> asio::awaitable<net::Response> {
    const auto me = co_await require_user(auth, req);
    co_await auth.revoke_session(me.user_id, me.session_id);
    co_return net::Response::no_content();
  });

  router.get("/v1/auth/sessions", [&auth](net::Request& req) -> asio::awaitable<net::Response> {
    const auto me = co_await require_user(auth, req);
    const int limit = limit_param(req);
    std::optional<std::int64_t> before;
    if (auto text = req.query_param("cursor")) {
      before = parse_session_cursor(*text);
      if (!before) throw invalid_query("cursor", "not a cursor this server gave");
    }
    const auto page = co_await auth.sessions(me.user_id, limit, before);
    boost::json::array items;
    for (const auto& s : page.items)
      items.push_back(boost::json::object{{"id", std::to_string(s.id)},
                                          {"created_at", s.created_at},
                                          {"last_used_at", s.last_used_at},
                                          {"user_agent", s.user_agent},
                                          {"ip", s.ip},
                                          {"current", s.id == me.session_id}});
    boost::json::object body{{"items", std::move(items)}, {"next", nullptr}};
    if (page.next_before) body["next"] = session_cursor(*page.next_before);
    co_return net::Response::json(200, body);
  });

  router.del("/v1/auth/sessions/{id}", [&auth](net::Request& req) -> asio::awaitable<net::Response> {
    const auto me = co_await require_user(auth, req);
    const auto id = parse_id(req.param("id"));
    if (!id) throw ApiError(problems::not_found("no such session"));
    co_await auth.revoke_session(me.user_id, *id);
    co_return net::Response::no_content();
  });
}

}  // namespace parley::auth
