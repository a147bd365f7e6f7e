// GET and PATCH /v1/me.
#include "auth/auth_routes.hpp"
#include "auth/validation.hpp"
#include "net/json_fields.hpp"

#include <boost/json.hpp>

namespace parley::auth {

void add_me_routes(net::Router& router, AuthService& auth) {
  router.get("/v1/me", [&auth](net::Request& req) -> asio::awaitable<net::Response> {
    const auto me = co_await require_user(auth, req);
    auto user = co_await auth.find_user(me.user_id);
    if (!user) throw ApiError(problems::not_found("no such user"));
    co_return net::Response::json(200, user_json(*user, true));
  });

  router.patch("/v1/me", [&auth](net::Request& req) -> asio::awaitable<net::Response> {
    const auto me = co_await require_user(auth, req);
    net::JsonFields f(req);
    auto display_name = f.string("display_name");
    auto bio = f.string("bio");
    auto privacy = f.string("last_seen_privacy");
    auto username = f.string("username");
    auto group_add = f.string("group_add_privacy");
    if (display_name) {
      if (auto p = display_name_problem(*display_name); !p.empty()) f.fail("display_name", p);
      else *display_name = normalize_display_name(*display_name);
    }
    if (bio)
      if (auto p = bio_problem(*bio); !p.empty()) f.fail("bio", p);
    if (privacy && *privacy != "everyone" && *privacy != "contacts" && *privacy != "nobody")
      f.fail("last_seen_privacy", "must be everyone, contacts or nobody");
    if (group_add && *group_add != "everyone" && *group_add != "contacts" && *group_add != "nobody")
      f.fail("group_add_privacy", "must be everyone, contacts or nobody");
    if (username)
      if (auto p = username_problem(*username); !p.empty()) f.fail("username", p);
    for (const auto& kv : f.object()) {
      const auto k = kv.key();
      if (k != "display_name" && k != "bio" && k != "last_seen_privacy" && k != "username" && k != "avatar_file_id" &&
          k != "group_add_privacy")
        f.fail(k, "not a field that can be changed here");
    }
    f.done();
    co_await auth.db().write("auth.update_me", [&](store::Tx& tx) {
      const auto now = now_text();
      if (display_name) tx.exec("UPDATE users SET display_name = $1, updated_at = $2 WHERE id = $3", {*display_name, now, me.user_id});
      if (bio) tx.exec("UPDATE users SET bio = $1, updated_at = $2 WHERE id = $3", {*bio, now, me.user_id});
      if (privacy)
        tx.exec("UPDATE users SET last_seen_privacy = $1, updated_at = $2 WHERE id = $3", {*privacy, now, me.user_id});
      if (group_add)
        tx.exec("UPDATE users SET group_add_privacy = $1, updated_at = $2 WHERE id = $3", {*group_add, now, me.user_id});
      if (username) {
        if (!tx.exec("SELECT 1 FROM users WHERE username_key = $1 AND id != $2", {lower(*username), me.user_id}).empty())
          throw ApiError(problems::conflict("username_taken", "this username is taken"));
        tx.exec("UPDATE users SET username = $1, username_key = $2, updated_at = $3 WHERE id = $4",
                {*username, lower(*username), now, me.user_id});
      }
    });
    auto user = co_await auth.find_user(me.user_id);
    co_return net::Response::json(200, user_json(*user, true));
  });
}

}  // namespace parley::auth
