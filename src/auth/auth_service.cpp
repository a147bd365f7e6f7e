#include "auth/auth_service.hpp"

#include "auth/device_tokens.hpp"
#include "core/clock.hpp"
#include "core/encoding.hpp"
#include "core/problem.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

namespace parley::auth {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string now_text() { return clock::format_rfc3339(clock::now()); }

namespace {

store::Blob blob_digest(std::string_view token) { return encoding::digest(token); }

std::string new_refresh_token() { return encoding::base64url(encoding::random_bytes(32)); }

// SQL passed to co_await'ed calls lives in constants (GCC 12 mishandles string literals there).
constexpr std::string_view kSessionCheckSql =
    "SELECT u.role FROM sessions s JOIN users u ON u.id = s.user_id "
    "WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND u.banned_at IS NULL AND u.deleted_at IS NULL";
constexpr std::string_view kSessionsSql =
    "SELECT id, created_at, last_used_at, user_agent, ip FROM sessions "
    "WHERE user_id = $1 AND revoked_at IS NULL AND id < $2 ORDER BY id DESC LIMIT $3";

ApiError unauthenticated(std::string code, std::string detail) {
  return ApiError(problems::make(401, std::move(code), std::move(detail)));
}

}  // namespace

AuthService::AuthService(const Config& config, store::Database& db, WorkerPool& pool, KeyRing& keys, IdGenerator& ids)
    : config_(config), db_(db), pool_(pool), keys_(keys), ids_(ids), throttles_(config) {
  password_params_.ops = config.argon2_passes;
  password_params_.memory = config.argon2_memory_kib * 1024;
  dummy_hash_ = dummy_password_hash(password_params_);
}

std::string AuthService::access_token(std::int64_t user_id, std::int64_t session_id, const std::string& role) {
  const auto now = clock::unix_ms(clock::now()) / 1000;
  Claims c{user_id, session_id, role, now, now + kAccessTokenTtlSeconds};
  return sign_token(keys_.snapshot()->signing(), c, config_.public_url);
}

std::string AuthService::device_token(std::int64_t user_id, std::int64_t session_id) {
  return issue_device_token(keys_.snapshot()->signing(), user_id, session_id, clock::unix_ms(clock::now()) / 1000);
}

TokenPair AuthService::open_session(store::Tx& tx, const User& user, const ClientInfo& client) {
  const auto sid = ids_.next();
  const auto now = now_text();
  tx.exec("INSERT INTO sessions (id, user_id, created_at, last_used_at, user_agent, ip) VALUES ($1, $2, $3, $3, $4, $5)",
          {sid, user.id, now, client.user_agent, client.ip});
  TokenPair pair;
  pair.refresh_token = new_refresh_token();
  tx.exec("INSERT INTO refresh_tokens (hash, session_id, created_at) VALUES ($1, $2, $3)",
          {blob_digest(pair.refresh_token), sid, now});
  pair.access_token = access_token(user.id, sid, user.role);
  pair.device_token = device_token(user.id, sid);
  return pair;
}

asio::awaitable<bool> AuthService::check_password(const std::optional<User>& user, std::string password) {
  std::string hash = user && !user->password_hash.empty() ? user->password_hash : dummy_hash_;
  const bool real = user && !user->password_hash.empty();
  auto verify_job = [hash = std::move(hash), password = std::move(password)] { return verify_password(hash, password); };
  const bool ok = co_await pool_.run(std::move(verify_job));
  co_return ok && real;
}

asio::awaitable<TokenPair> AuthService::refresh(std::string refresh_token, ClientInfo client) {
  if (refresh_token.empty() || refresh_token.size() > 128)
    throw unauthenticated("invalid_refresh_token", "the refresh token is not valid");
  struct Outcome {
    enum { ok, unknown, reused, revoked } kind = unknown;
    std::int64_t user_id = 0, session_id = 0;
    std::string role;
    std::string next;
  };
  auto out = co_await db_.write("auth.refresh", [&](store::Tx& tx) {
    Outcome o;
    auto rows = tx.exec(
        "SELECT r.session_id, r.used_at IS NOT NULL, s.revoked_at IS NOT NULL, s.user_id, u.role, "
        "u.banned_at IS NOT NULL OR u.deleted_at IS NOT NULL "
        "FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id JOIN users u ON u.id = s.user_id "
        "WHERE r.hash = $1",
        {blob_digest(refresh_token)});
    if (rows.empty()) return o;
    const auto& r = rows.front();
    o.session_id = r.int64(0);
    o.user_id = r.int64(3);
    o.role = std::string(r.text(4));
    const auto now = now_text();
    if (r.int64(1) != 0) {
      // A used token presented again: someone else holds a copy. End the whole session.
      tx.exec("UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL", {now, o.session_id});
      o.kind = Outcome::reused;
      return o;
    }
    if (r.int64(2) != 0 || r.int64(5) != 0) {
      o.kind = Outcome::revoked;
      return o;
    }
    tx.exec("UPDATE refresh_tokens SET used_at = $1 WHERE hash = $2", {now, blob_digest(refresh_token)});
    o.next = new_refresh_token();
    tx.exec("INSERT INTO refresh_tokens (hash, session_id, created_at) VALUES ($1, $2, $3)",
            {blob_digest(o.next), o.session_id, now});
    tx.exec("UPDATE sessions SET last_used_at = $1, user_agent = $2, ip = $3 WHERE id = $4",
            {now, client.user_agent, client.ip, o.session_id});
    o.kind = Outcome::ok;
    return o;
  });
  switch (out.kind) {
    case Outcome::unknown: throw unauthenticated("invalid_refresh_token", "the refresh token is not valid");
    case Outcome::reused:
      session_ended(out.user_id, out.session_id, "refresh token reused");
      throw unauthenticated("refresh_reused", "this refresh token was already used; the session has been revoked");
    case Outcome::revoked: throw unauthenticated("session_revoked", "the session has ended; sign in again");
    case Outcome::ok: break;
  }
  co_return TokenPair{access_token(out.user_id, out.session_id, out.role), out.next, kAccessTokenTtlSeconds,
                      device_token(out.user_id, out.session_id)};
}

asio::awaitable<Principal> AuthService::authenticate(std::string_view token) {
  if (token.empty()) throw unauthenticated("unauthenticated", "an access token is required (Authorization: Bearer …)");
  const auto now_s = clock::unix_ms(clock::now()) / 1000;
  const auto keys = keys_.snapshot();
  auto claims = TokenCache::get(token, now_s);
  if (claims && !keys->find(claims->kid)) claims.reset();  // its key was revoked since: verify again (and fail)
  if (!claims) {
    claims = verify_token(*keys, token, config_.public_url, now_s);
    if (!claims) throw unauthenticated("invalid_token", "the access token is invalid or expired");
    TokenCache::put(token, *claims);
  }
  auto rows = co_await db_.read("auth.session_check", kSessionCheckSql, store::params(claims->sid, claims->sub));
  if (rows.empty()) throw unauthenticated("session_revoked", "the session has ended; sign in again");
  co_return Principal{claims->sub, claims->sid, std::string(rows.front().text(0)), claims->exp};
}

asio::awaitable<void> AuthService::revoke_session(std::int64_t user_id, std::int64_t session_id) {
  const auto changed = co_await db_.write("auth.revoke_session", [&](store::Tx& tx) {
    tx.exec("UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
            {now_text(), session_id, user_id});
    return tx.changes();
  });
  if (changed == 0) throw ApiError(problems::not_found("no such session"));
  session_ended(user_id, session_id, "session revoked");
}

asio::awaitable<SessionPage> AuthService::sessions(std::int64_t user_id, int limit,
                                                   std::optional<std::int64_t> before_id) {
  const std::int64_t before = before_id.value_or(std::numeric_limits<std::int64_t>::max());
  // One more than asked for: whether there is a next page.
  auto rows = co_await db_.read("auth.sessions", kSessionsSql, store::params(user_id, before, std::int64_t{limit} + 1));
  SessionPage page;
  for (const auto& r : rows) {
    if (page.items.size() == static_cast<std::size_t>(limit)) {
      page.next_before = page.items.back().id;
      break;
    }
    page.items.push_back({r.int64(0), std::string(r.text(1)), std::string(r.text(2)), std::string(r.text(3)),
                          std::string(r.text(4))});
  }
  co_return page;
}

asio::awaitable<std::optional<User>> AuthService::find_user(std::int64_t id) {
  auto rows = co_await db_.read("auth.user_by_id",
                                std::string("SELECT ") + kUserColumns + " FROM users WHERE id = $1", store::params(id));
  if (rows.empty()) co_return std::nullopt;
  co_return user_from_row(rows.front());
}

}  // namespace parley::auth
