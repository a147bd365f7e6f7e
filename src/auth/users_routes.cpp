// Other people's public profiles: GET /v1/users/{id} and GET /v1/users?username=… | ?ids=…
// (what apps need to show names for the ids in rooms and messages, and to start a direct chat
// from a username). Signed-in callers only; emails and settings are never in these answers.
#include "auth/auth_routes.hpp"
#include "auth/validation.hpp"
#include "core/ids.hpp"

#include <boost/json.hpp>

namespace parley::auth {
namespace {

constexpr std::size_t kMaxIds = 100;

const std::string kUsersByIdsSql = std::string("SELECT ") + kUserColumns +
                                   " FROM users WHERE id IN (SELECT value FROM json_each($1)) ORDER BY id";
const std::string kUserByUsernameSql =
    std::string("SELECT ") + kUserColumns + " FROM users WHERE username_key = $1 AND deleted_at IS NULL";

// "1,2,3" -> the ids, or a field problem.
std::vector<std::int64_t> parse_ids(const std::string& text) {
  std::vector<std::int64_t> ids;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto end = text.find(',', pos);
    if (end == std::string::npos) end = text.size();
    const auto part = std::string_view(text).substr(pos, end - pos);
    const auto id = parse_id(part);
    if (!id) throw ApiError(problems::validation({{"ids", "comma-separated user ids (decimal strings)"}}));
    ids.push_back(*id);
    pos = end + 1;
  }
  if (ids.size() > kMaxIds) throw ApiError(problems::validation({{"ids", "at most 100 ids"}}));
  return ids;
}

boost::json::object page(boost::json::array items) { return {{"items", std::move(items)}, {"next", nullptr}}; }

}  // namespace

void add_users_routes(net::Router& router, AuthService& auth) {
  router.get("/v1/users/{id}", [&auth](net::Request& req) -> asio::awaitable<net::Response> {
    co_await require_user(auth, req);
    const auto id = parse_id(req.param("id"));
    if (!id) throw ApiError(problems::not_found("no such user"));
    auto user = co_await auth.find_user(*id);
    if (!user) throw ApiError(problems::not_found("no such user"));
    co_return net::Response::json(200, user_json(*user, false));
  });

  router.get("/v1/users", [&auth](net::Request& req) -> asio::awaitable<net::Response> {
    co_await require_user(auth, req);
    const auto username = req.query_param("username");
    const auto ids_text = req.query_param("ids");
    if (username.has_value() == ids_text.has_value())
      throw ApiError(problems::validation({{"username", "give either username or ids"}, {"ids", "give either username or ids"}}));
    boost::json::array items;
    if (username) {
      if (auto p = username_problem(*username); !p.empty()) throw ApiError(problems::validation({{"username", p}}));
      auto rows = co_await auth.db().read("auth.user_by_username", kUserByUsernameSql, store::params(lower(*username)));
      for (const auto& r : rows) items.push_back(user_json(user_from_row(r), false));
      co_return net::Response::json(200, page(std::move(items)));
    }
    const auto ids = parse_ids(*ids_text);
    auto rows = co_await auth.db().read("auth.users_by_ids", kUsersByIdsSql, store::params(store::id_list(ids)));
    for (const auto& r : rows) items.push_back(user_json(user_from_row(r), false));
    co_return net::Response::json(200, page(std::move(items)));
  });
}

}  // namespace parley::auth
