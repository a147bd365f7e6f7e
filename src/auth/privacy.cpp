#include "auth/privacy.hpp"

#include "auth/auth_routes.hpp"
#include "auth/data_export.hpp"
#include "auth/mfa.hpp"
#include "core/problem.hpp"
#include "net/json_fields.hpp"
#include "store/run_sync.hpp"

#include <boost/json.hpp>

namespace parley::auth {

bool erase_account(store::Tx& tx, std::int64_t user_id) {
  const auto now = now_text();
  tx.exec("UPDATE users SET username = NULL, username_key = NULL, email = NULL, email_key = NULL, email_verified = 0, "
          "display_name = 'Deleted user', bio = '', avatar_file_id = NULL, password_hash = NULL, totp_secret = NULL, "
          "totp_enabled = 0, totp_last_step = 0, deleted_at = $1, updated_at = $1 "
          "WHERE id = $2 AND deleted_at IS NULL",
          {now, user_id});
  if (tx.changes() == 0) return false;
  tx.exec("DELETE FROM recovery_codes WHERE user_id = $1", {user_id});
  tx.exec("DELETE FROM mail_tokens WHERE user_id = $1", {user_id});
  tx.exec("DELETE FROM refresh_tokens WHERE session_id IN (SELECT id FROM sessions WHERE user_id = $1)", {user_id});
  // Sessions end, and keep no trace of where the person connected from.
  tx.exec("UPDATE sessions SET revoked_at = COALESCE(revoked_at, $1), user_agent = '', ip = '' WHERE user_id = $2",
          {now, user_id});
  return true;
}

boost::json::object ExportRegistry::collect(store::Database& db, std::int64_t user_id) const {
  boost::json::object out{{"format", "parley-export/1"}, {"exported_at", now_text()}};
  for (const auto& [section, fn] : contributors_) out[section] = fn(db, user_id);
  return out;
}

namespace {

constexpr std::string_view kExportAccountSql =
    "SELECT id, username, display_name, email, email_verified, bio, avatar_file_id, role, last_seen_privacy, "
    "created_at, updated_at, banned_at, deleted_at, group_add_privacy FROM users WHERE id = $1";
constexpr std::string_view kExportMfaSql =
    "SELECT u.totp_enabled, (SELECT count(*) FROM recovery_codes r WHERE r.user_id = u.id AND r.used_at IS NULL) "
    "FROM users u WHERE u.id = $1";
constexpr std::string_view kExportSessionsSql =
    "SELECT id, created_at, last_used_at, user_agent, ip, revoked_at FROM sessions WHERE user_id = $1 ORDER BY id";

boost::json::value opt(const store::Row& r, int i) {
  auto v = r.opt_text(i);
  return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

boost::json::value export_account(store::Database& db, std::int64_t user_id) {
  auto rows = store::run_sync(db.read("export.account", kExportAccountSql, store::params(user_id)));
  if (rows.empty()) return nullptr;
  const auto& r = rows.front();
  return boost::json::object{{"id", std::to_string(r.int64(0))}, {"username", opt(r, 1)},
                             {"display_name", opt(r, 2)},        {"email", opt(r, 3)},
                             {"email_verified", r.int64(4) != 0}, {"bio", opt(r, 5)},
                             {"avatar_file_id", opt(r, 6)},      {"role", opt(r, 7)},
                             {"last_seen_privacy", opt(r, 8)},   {"created_at", opt(r, 9)},
                             {"updated_at", opt(r, 10)},         {"banned_at", opt(r, 11)},
                             {"deleted_at", opt(r, 12)},         {"group_add_privacy", opt(r, 13)}};
}

boost::json::value export_mfa(store::Database& db, std::int64_t user_id) {
  auto rows = store::run_sync(db.read("export.mfa", kExportMfaSql, store::params(user_id)));
  if (rows.empty()) return nullptr;
  // Secrets and code hashes are credentials, not personal data: never exported.
  return boost::json::object{{"totp_enabled", rows.front().int64(0) != 0},
                             {"recovery_codes_unused", rows.front().int64(1)}};
}

boost::json::value export_sessions(store::Database& db, std::int64_t user_id) {
  auto rows = store::run_sync(db.read("export.sessions", kExportSessionsSql, store::params(user_id)));
  boost::json::array items;
  for (const auto& r : rows)
    items.push_back(boost::json::object{{"id", std::to_string(r.int64(0))}, {"created_at", opt(r, 1)},
                                        {"last_used_at", opt(r, 2)},        {"user_agent", opt(r, 3)},
                                        {"ip", opt(r, 4)},                  {"revoked_at", opt(r, 5)}});
  return items;
}

}  // namespace

void add_privacy_routes(net::Router& router, AuthService& auth) {
  auth.exports().add("account", export_account);
  auth.exports().add("mfa", export_mfa);
  auth.exports().add("sessions", export_sessions);

  router.del("/v1/me", [&auth](net::Request& req) -> asio::awaitable<net::Response> {
    const auto me = co_await require_user(auth, req);
    net::JsonFields f(req);
    auto password = f.string("password", true);
    auto totp = f.string("totp");
    f.done();
    auto user = co_await auth.find_user(me.user_id);
    if (!user) throw ApiError(problems::not_found("no such user"));
    const auto client = client_info(req);
    co_await reauthenticate(auth, *user, password, totp, client);
    co_await auth.db().write("auth.erase_account", [&](store::Tx& tx) { return erase_account(tx, me.user_id); });
    auth.session_ended(me.user_id, AuthService::kAllSessions, "account deleted");
    co_return net::Response::no_content();
  });

  router.get("/v1/me/export", [&auth](net::Request& req) -> asio::awaitable<net::Response> {
    const auto me = co_await require_user(auth, req);
    // Possibly large reads: on the worker pool, never on this I/O thread.
    auto job = [&auth, user_id = me.user_id] { return auth.exports().collect(auth.db(), user_id); };
    auto data = co_await auth.pool().run(std::move(job));
    auto res = net::Response::json(200, data);
    res.header("Content-Disposition", "attachment; filename=\"parley-export.json\"");
    res.header("Cache-Control", "no-store");
    co_return res;
  });
}

}  // namespace parley::auth
