// /v1/auth/*: sign-up, login, refresh, logout, sessions; /.well-known/jwks.json.
#include "auth/auth_routes.hpp"

#include "core/clock.hpp"
#include "net/json_fields.hpp"

#include <boost/json.hpp>

namespace parley::auth {

asio::awaitable<Principal> require_user(AuthService& auth, const net::Request& req) {
  const auto header = req.header("Authorization");
  constexpr std::string_view prefix = "Bearer ";
  if (header.size() <= prefix.size() || !header.starts_with(prefix))
    throw ApiError(problems::unauthenticated("an access token is required (Authorization: Bearer …)"));
  co_return co_await auth.authenticate(header.substr(prefix.size()));
}

ClientInfo client_info(const net::Request& req) {
  return {std::string(req.header("User-Agent").substr(0, 256)), req.remote_ip};
}

namespace {

boost::json::object token_json(const TokenPair& t) {
  return {{"access_token", t.access_token},
          {"refresh_token", t.refresh_token},
          {"token_type", "Bearer"},
          {"expires_in", t.expires_in}};
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
    co_return net::Response::json(201, user_tokens_json(user, tokens));
  });

  router.post("/v1/auth/login", [&auth](net::Request& req) -> asio::awaitable<net::Response> {
    net::JsonFields f(req);
    auto login = f.string("login", true);
    auto password = f.string("password", true);
    auto totp = f.string("totp");
    f.done();
    auto [user, tokens] = co_await auth.login(*login, *password, totp, client_info(req));
    co_return net::Response::json(200, user_tokens_json(user, tokens));
  });

  router.post("/v1/auth/refresh", [&auth](net::Request& req) -> asio::awaitable<net::Response> {
    net::JsonFields f(req);
    auto token = f.string("refresh_token", true);
    f.done();
    co_return net::Response::json(200, token_json(co_await auth.refresh(*token, client_info(req))));
  });

  router.post("/v1/auth/logout", [&auth](net::Request& req) -> asio::awaitable<net::Response> {
    const auto me = co_await require_user(auth, req);
    co_await auth.revoke_session(me.user_id, me.session_id);
    co_return net::Response::no_content();
  });

  router.get("/v1/auth/sessions", [&auth](net::Request& req) -> asio::awaitable<net::Response> {
    const auto me = co_await require_user(auth, req);
    boost::json::array items;
    for (const auto& s : co_await auth.sessions(me.user_id))
      items.push_back(boost::json::object{{"id", std::to_string(s.id)},
                                          {"created_at", s.created_at},
                                          {"last_used_at", s.last_used_at},
                                          {"user_agent", s.user_agent},
                                          {"ip", s.ip},
                                          {"current", s.id == me.session_id}});
    co_return net::Response::json(200, {{"items", std::move(items)}, {"next", nullptr}});
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
