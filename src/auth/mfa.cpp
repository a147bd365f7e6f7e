#include "auth/mfa.hpp"

#include "auth/auth_routes.hpp"
#include "auth/totp.hpp"
#include "core/clock.hpp"
#include "core/encoding.hpp"
#include "core/problem.hpp"
#include "net/json_fields.hpp"

#include <boost/json.hpp>

namespace parley::auth {
namespace {

constexpr std::string_view kTotpStateSql = "SELECT totp_secret, totp_last_step, totp_enabled FROM users WHERE id = $1";

std::int64_t now_seconds() { return clock::unix_ms(clock::now()) / 1000; }

bool looks_like_totp(std::string_view code) {
  if (code.size() != totp::kDigits) return false;
  for (char c : code)
    if (c < '0' || c > '9') return false;
  return true;
}

struct TotpState {
  std::optional<std::string> secret;  // base32
  std::int64_t last_step = 0;
  bool enabled = false;
};

asio::awaitable<TotpState> totp_state(AuthService& auth, std::int64_t user_id) {
  auto rows = co_await auth.db().read("auth.totp_state", kTotpStateSql, store::params(user_id));
  TotpState s;
  if (rows.empty()) co_return s;
  s.secret = rows.front().opt_text(0);
  s.last_step = rows.front().int64(1);
  s.enabled = rows.front().int64(2) != 0;
  co_return s;
}

// The password was right (the answer without a code already says so: mfa_required), the code
// was not: wrong, expired, or already used.
ApiError invalid_code(int status) {
  return ApiError(problems::make(status, "invalid_totp", "the one-time code is wrong, expired or already used"));
}

}  // namespace

asio::awaitable<bool> consume_second_factor(AuthService& auth, std::int64_t user_id, std::string code) {
  const auto state = co_await totp_state(auth, user_id);
  if (!state.secret) co_return false;
  if (looks_like_totp(code)) {
    const auto secret = totp::base32_decode(*state.secret);
    if (!secret) co_return false;
    const auto step = totp::verify(*secret, code, now_seconds(), state.last_step);
    if (!step) co_return false;
    // Conditional on the step moving forward: of two concurrent uses of one code, one wins.
    const auto changed = co_await auth.db().write("auth.totp_use", [&](store::Tx& tx) {
      tx.exec("UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1", {*step, user_id});
      return tx.changes();
    });
    co_return changed == 1;
  }
  const auto normal = totp::normalize_recovery_code(code);
  if (normal.size() != 10) co_return false;
  const auto changed = co_await auth.db().write("auth.recovery_use", [&](store::Tx& tx) {
    tx.exec("UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND hash = $3 AND used_at IS NULL",
            {now_text(), user_id, store::Blob(encoding::digest(normal))});
    return tx.changes();
  });
  co_return changed == 1;
}

asio::awaitable<void> verify_second_factor(AuthService& auth, const User& user, const std::optional<std::string>& code) {
  if (!code || code->empty())
    throw ApiError(problems::make(401, "mfa_required", "this account needs a one-time code (totp)"));
  // Plain statements around co_await: GCC 12 mishandles temporaries and ?:/|| around it.
  bool ok = false;
  if (code->size() <= 32) {
    std::string attempt = *code;
    ok = co_await consume_second_factor(auth, user.id, std::move(attempt));
  }
  if (!ok) throw invalid_code(401);
}

asio::awaitable<void> reauthenticate(AuthService& auth, const User& user, const std::optional<std::string>& password,
                                     const std::optional<std::string>& code, const ClientInfo& client) {
  const auto ticket = auth.throttles().login_attempt("u:" + std::to_string(user.id), client.ip);
  bool password_ok = false;
  if (password && !password->empty() && password->size() <= 1024) {
    std::string attempt = *password;
    password_ok = co_await auth.check_password(user, std::move(attempt));
  }
  if (!password_ok) throw ApiError(problems::make(403, "invalid_credentials", "the password is wrong"));
  if (user.totp_enabled) {
    if (!code || code->empty()) {
      auth.throttles().login_succeeded(ticket);
      throw ApiError(problems::make(403, "mfa_required", "a one-time code (totp) is required as well"));
    }
    bool code_ok = false;
    if (code->size() <= 32) {
      std::string attempt = *code;
      code_ok = co_await consume_second_factor(auth, user.id, std::move(attempt));
    }
    if (!code_ok) throw invalid_code(403);
  }
  auth.throttles().login_succeeded(ticket);
}

void add_mfa_routes(net::Router& router, AuthService& auth) {
  router.post("/v1/auth/mfa/totp/enroll", [&auth](net::Request& req) -> asio::awaitable<net::Response> {
    const auto me = co_await require_user(auth, req);
    auto user = co_await auth.find_user(me.user_id);
    if (!user) throw ApiError(problems::not_found("no such user"));
    if (user->totp_enabled)
      throw ApiError(problems::conflict("mfa_already_enabled", "TOTP is already enabled; disable it first"));
    const std::string secret = totp::new_secret();
    co_await auth.db().write("auth.totp_enroll", [&](store::Tx& tx) {
      tx.exec("UPDATE users SET totp_secret = $1, totp_last_step = 0, updated_at = $2 WHERE id = $3 AND totp_enabled = 0",
              {secret, now_text(), me.user_id});
    });
    const auto uri = totp::otpauth_uri(auth.config().app_name, user->username, secret);
    co_return net::Response::json(200, {{"secret", secret}, {"otpauth_uri", uri}, {"qr_svg", totp::qr_svg(uri)}});
  });

  router.post("/v1/auth/mfa/totp/activate", [&auth](net::Request& req) -> asio::awaitable<net::Response> {
    const auto me = co_await require_user(auth, req);
    net::JsonFields f(req);
    auto code = f.string("code", true);
    f.done();
    const auto state = co_await totp_state(auth, me.user_id);
    if (state.enabled) throw ApiError(problems::conflict("mfa_already_enabled", "TOTP is already enabled"));
    if (!state.secret)
      throw ApiError(problems::conflict("mfa_not_enrolled", "enrol first: POST /v1/auth/mfa/totp/enroll"));
    const auto secret = totp::base32_decode(*state.secret);
    // Wrong codes count like failed logins: six digits must not be guessable with a stolen token.
    const auto ticket = auth.throttles().login_attempt("u:" + std::to_string(me.user_id), client_info(req).ip);
    std::optional<std::int64_t> step;
    if (secret) step = totp::verify(*secret, *code, now_seconds(), state.last_step);
    if (!step) {
      boost::json::object fields{{"code", "the code is wrong or expired; check the device's clock"}};
      throw ApiError(problems::validation(std::move(fields), "the one-time code does not match"));
    }
    auth.throttles().login_succeeded(ticket);
    std::vector<std::string> codes;
    for (int i = 0; i < totp::kRecoveryCodes; ++i) codes.push_back(totp::new_recovery_code());
    const auto activated = co_await auth.db().write("auth.totp_activate", [&](store::Tx& tx) {
      tx.exec("UPDATE users SET totp_enabled = 1, totp_last_step = $1, updated_at = $2 "
              "WHERE id = $3 AND totp_enabled = 0 AND totp_secret = $4",
              {*step, now_text(), me.user_id, *state.secret});
      if (tx.changes() == 0) return false;
      tx.exec("DELETE FROM recovery_codes WHERE user_id = $1", {me.user_id});
      for (const auto& c : codes)
        tx.exec("INSERT INTO recovery_codes (user_id, hash) VALUES ($1, $2)",
                {me.user_id, store::Blob(encoding::digest(totp::normalize_recovery_code(c)))});
      return true;
    });
    if (!activated) throw ApiError(problems::conflict("mfa_not_enrolled", "the enrolment changed meanwhile; enrol again"));
    boost::json::array list;
    for (const auto& c : codes) list.push_back(boost::json::string(c));
    co_return net::Response::json(200, {{"recovery_codes", std::move(list)}});
  });

  router.post("/v1/auth/mfa/totp/disable", [&auth](net::Request& req) -> asio::awaitable<net::Response> {
    const auto me = co_await require_user(auth, req);
    net::JsonFields f(req);
    auto password = f.string("password", true);
    auto code = f.string("code", true);
    f.done();
    auto user = co_await auth.find_user(me.user_id);
    if (!user) throw ApiError(problems::not_found("no such user"));
    if (!user->totp_enabled) throw ApiError(problems::conflict("mfa_not_enabled", "TOTP is not enabled"));
    const auto client = client_info(req);
    co_await reauthenticate(auth, *user, password, code, client);
    co_await auth.db().write("auth.totp_disable", [&](store::Tx& tx) {
      tx.exec("UPDATE users SET totp_enabled = 0, totp_secret = NULL, totp_last_step = 0, updated_at = $1 WHERE id = $2",
              {now_text(), me.user_id});
      tx.exec("DELETE FROM recovery_codes WHERE user_id = $1", {me.user_id});
    });
    co_return net::Response::no_content();
  });
}

}  // namespace parley::auth
