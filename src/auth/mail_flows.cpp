#include "auth/mail_flows.hpp"

#include "auth/auth_routes.hpp"
#include "auth/mail_templates.hpp"
#include "auth/mail_tokens.hpp"
#include "auth/validation.hpp"
#include "core/clock.hpp"
#include "core/encoding.hpp"
#include "core/log.hpp"
#include "core/problem.hpp"
#include "mail/mailer.hpp"
#include "net/json_fields.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/json.hpp>

namespace parley::auth {
namespace {

// SQL passed to co_await'ed calls lives in constants (GCC 12).
const std::string kUserByEmailSql =
    std::string("SELECT ") + kUserColumns + " FROM users WHERE email_key = $1 AND deleted_at IS NULL";
const std::string kUserByIdSql = std::string("SELECT ") + kUserColumns + " FROM users WHERE id = $1";
constexpr std::string_view kEmailTakenSql = "SELECT 1 FROM users WHERE email_key = $1 AND id != $2";
constexpr std::string_view kLiveTokenSql =
    "SELECT 1 FROM mail_tokens WHERE hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3";

ApiError invalid_token() {
  return ApiError(problems::make(400, "invalid_token", "the link is invalid, expired or already used"));
}

std::int64_t now_ms() { return clock::unix_ms(clock::now()); }

MailContext context(const AuthService& auth) { return {auth.config().app_name, auth.config().public_url}; }

void queue(AuthService& auth, mail::Mail m, std::string_view kind) {
  auto* mailer = auth.mailer();
  if (!mailer) return;
  if (!mailer->send(std::move(m))) log::warn("account mail not queued", {{"kind", kind}});
}

User user_in(store::Tx& tx, std::int64_t id) {
  auto rows = tx.exec(kUserByIdSql, {id});
  if (rows.empty()) throw invalid_token();
  return user_from_row(rows.front());
}

boost::json::object accepted() { return {{"status", "accepted"}}; }

}  // namespace

asio::awaitable<void> send_verification_mail(AuthService& auth, const User& user) {
  if (!auth.mailer() || user.email_verified) co_return;
  try {
    if (!auth.throttles().try_mail(user.email)) {
      log::info("verification mail throttled", {{"user_id", std::to_string(user.id)}});
      co_return;
    }
    const auto token = co_await auth.db().write("auth.issue_verify_token", [&](store::Tx& tx) {
      return issue_mail_token(tx, user.id, MailPurpose::verify_email, user.email, now_ms());
    });
    queue(auth, verification_mail(context(auth), user.email, user.display_name, token), "verify_email");
  } catch (const std::exception& e) {
    log::error("verification mail failed", {{"user_id", std::to_string(user.id)}, {"error", e.what()}});
  }
}

asio::awaitable<void> resend_verification(AuthService& auth, std::int64_t user_id) {
  auto user = co_await auth.find_user(user_id);
  if (!user || user->email_verified) co_return;
  auth.throttles().mail(user->email);  // 429 with Retry-After
  const auto token = co_await auth.db().write("auth.issue_verify_token", [&](store::Tx& tx) {
    return issue_mail_token(tx, user->id, MailPurpose::verify_email, user->email, now_ms());
  });
  queue(auth, verification_mail(context(auth), user->email, user->display_name, token), "verify_email");
}

asio::awaitable<User> confirm_verification(AuthService& auth, std::string token) {
  if (!plausible_token(token)) throw invalid_token();
  co_return co_await auth.db().write("auth.confirm_verify", [&](store::Tx& tx) {
    auto redeemed = redeem_mail_token(tx, token, MailPurpose::verify_email, now_ms());
    if (!redeemed) throw invalid_token();
    auto user = user_in(tx, redeemed->user_id);
    // A token for an address the account no longer has proves nothing.
    if (user.deleted || lower(user.email) != lower(redeemed->email)) throw invalid_token();
    tx.exec("UPDATE users SET email_verified = 1, updated_at = $1 WHERE id = $2", {now_text(), user.id});
    user.email_verified = true;
    return user;
  });
}

asio::awaitable<void> password_reset_mail_job(AuthService& auth, std::string email) {
  try {
    auto rows = co_await auth.db().read("auth.user_by_email", kUserByEmailSql, store::params(lower(email)));
    if (rows.empty() || !auth.mailer()) co_return;
    const auto user = user_from_row(rows.front());
    if (!auth.throttles().try_mail(user.email)) {
      log::info("password reset mail throttled", {{"user_id", std::to_string(user.id)}});
      co_return;
    }
    const auto token = co_await auth.db().write("auth.issue_reset_token", [&](store::Tx& tx) {
      return issue_mail_token(tx, user.id, MailPurpose::password_reset, user.email, now_ms());
    });
    queue(auth, password_reset_mail(context(auth), user.email, user.display_name, token), "password_reset");
  } catch (const std::exception& e) {
    log::error("password reset mail failed", {{"error", e.what()}});
  }
}

asio::awaitable<void> confirm_password_reset(AuthService& auth, std::string token, std::string password) {
  if (auto p = password_problem(password); !p.empty()) throw ApiError(problems::validation({{"password", p}}));
  if (!plausible_token(token)) throw invalid_token();
  // Checked before hashing so that a bad link costs no Argon2id; redeemed atomically below.
  auto live = co_await auth.db().read("auth.reset_token_check", kLiveTokenSql,
                                      store::params(encoding::digest(token), std::string("password_reset"), now_ms()));
  if (live.empty()) throw invalid_token();
  auto hash_job = [pw = std::move(password), params = auth.password_params()] { return hash_password(pw, params); };
  const std::string hash = co_await auth.pool().run(std::move(hash_job));
  const auto user = co_await auth.db().write("auth.confirm_reset", [&](store::Tx& tx) {
    const auto now = now_ms();
    auto redeemed = redeem_mail_token(tx, token, MailPurpose::password_reset, now);
    if (!redeemed) throw invalid_token();
    auto u = user_in(tx, redeemed->user_id);
    if (u.deleted) throw invalid_token();
    const auto now_s = now_text();
    tx.exec("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3", {hash, now_s, u.id});
    // The mail reached the account's current address: that address is proven.
    if (lower(u.email) == lower(redeemed->email))
      tx.exec("UPDATE users SET email_verified = 1 WHERE id = $1", {u.id});
    tx.exec("UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL", {now_s, u.id});
    invalidate_mail_tokens(tx, u.id, MailPurpose::email_change, now);
    return u;
  });
  auth.session_ended(user.id, AuthService::kAllSessions, "password reset");
  log::info("password reset", {{"user_id", std::to_string(user.id)}});
  queue(auth, password_changed_notice(context(auth), user.email, user.display_name), "password_changed");
}

asio::awaitable<void> request_email_change(AuthService& auth, const Principal& me, std::string new_email,
                                           std::string password, std::string ip) {
  if (auto p = email_problem(new_email); !p.empty()) throw ApiError(problems::validation({{"new_email", p}}));
  auto user = co_await auth.find_user(me.user_id);
  if (!user) throw ApiError(problems::unauthenticated());
  // Password guesses here count as failed logins of the account.
  const auto ticket = auth.throttles().login_attempt("u:" + std::to_string(user->id), ip);
  if (!co_await auth.check_password(user, std::move(password)))
    throw ApiError(problems::make(403, "invalid_credentials", "the password is wrong"));
  auth.throttles().login_succeeded(ticket);
  if (lower(new_email) == lower(user->email))
    throw ApiError(problems::validation({{"new_email", "is already the address of this account"}}));
  auto taken = co_await auth.db().read("auth.email_taken", kEmailTakenSql, store::params(lower(new_email), user->id));
  if (!taken.empty()) throw ApiError(problems::conflict("email_taken", "an account with this email address exists"));
  auth.throttles().mail(new_email);
  const auto token = co_await auth.db().write("auth.issue_email_change_token", [&](store::Tx& tx) {
    return issue_mail_token(tx, user->id, MailPurpose::email_change, new_email, now_ms());
  });
  queue(auth, email_change_mail(context(auth), new_email, user->display_name, token), "email_change");
}

asio::awaitable<User> confirm_email_change(AuthService& auth, std::string token) {
  if (!plausible_token(token)) throw invalid_token();
  std::string old_email;
  auto user = co_await auth.db().write("auth.confirm_email_change", [&](store::Tx& tx) {
    const auto now = now_ms();
    auto redeemed = redeem_mail_token(tx, token, MailPurpose::email_change, now);
    if (!redeemed) throw invalid_token();
    auto u = user_in(tx, redeemed->user_id);
    if (u.deleted) throw invalid_token();
    if (!tx.exec(kEmailTakenSql, {lower(redeemed->email), u.id}).empty())
      throw ApiError(problems::conflict("email_taken", "an account with this email address exists"));
    old_email = u.email;
    tx.exec("UPDATE users SET email = $1, email_key = $2, email_verified = 1, updated_at = $3 WHERE id = $4",
            {redeemed->email, lower(redeemed->email), now_text(), u.id});
    invalidate_mail_tokens(tx, u.id, MailPurpose::verify_email, now);
    u.email = redeemed->email;
    u.email_verified = true;
    return u;
  });
  log::info("email changed", {{"user_id", std::to_string(user.id)}});
  queue(auth, email_changed_notice(context(auth), old_email, user.display_name, user.email), "email_changed");
  co_return user;
}

void add_mail_flow_routes(net::Router& router, AuthService& auth) {
  router.post("/v1/auth/verify-email/resend", [&auth](net::Request& req) -> asio::awaitable<net::Response> {
    const auto me = co_await require_user(auth, req);
    co_await resend_verification(auth, me.user_id);
    co_return net::Response::json(202, accepted());
  });

  router.post("/v1/auth/verify-email/confirm", [&auth](net::Request& req) -> asio::awaitable<net::Response> {
    net::JsonFields f(req);
    auto token = f.string("token", true);
    f.done();
    auto user = co_await confirm_verification(auth, std::move(*token));
    co_return net::Response::json(200, user_json(user, true));
  });

  router.post("/v1/auth/password-reset/request", [&auth](net::Request& req) -> asio::awaitable<net::Response> {
    net::JsonFields f(req);
    auto email = f.string("email", true);
    f.done();
    // Answered at once and alike for every address; the lookup and the mail happen afterwards.
    if (!email->empty() && email->size() <= 320) {
      auto ex = co_await asio::this_coro::executor;
      asio::co_spawn(ex, password_reset_mail_job(auth, std::move(*email)), asio::detached);
    }
    co_return net::Response::json(202, accepted());
  });

  router.post("/v1/auth/password-reset/confirm", [&auth](net::Request& req) -> asio::awaitable<net::Response> {
    net::JsonFields f(req);
    auto token = f.string("token", true);
    auto password = f.string("password", true);
    f.done();
    co_await confirm_password_reset(auth, std::move(*token), std::move(*password));
    co_return net::Response::no_content();
  });

  router.post("/v1/auth/email-change/request", [&auth](net::Request& req) -> asio::awaitable<net::Response> {
    const auto me = co_await require_user(auth, req);
    net::JsonFields f(req);
    auto new_email = f.string("new_email", true);
    auto password = f.string("password", true);
    f.done();
    co_await request_email_change(auth, me, std::move(*new_email), std::move(*password), req.remote_ip);
    co_return net::Response::json(202, accepted());
  });

  router.post("/v1/auth/email-change/confirm", [&auth](net::Request& req) -> asio::awaitable<net::Response> {
    net::JsonFields f(req);
    auto token = f.string("token", true);
    f.done();
    auto user = co_await confirm_email_change(auth, std::move(*token));
    co_return net::Response::json(200, user_json(user, true));
  });
}

}  // namespace parley::auth
