// Sign-up and login.
#include "auth/auth_service.hpp"
#include "auth/device_tokens.hpp"
#include "auth/mail_flows.hpp"
#include "auth/mfa.hpp"
#include "auth/validation.hpp"
#include "core/clock.hpp"
#include "core/problem.hpp"

namespace parley::auth {

asio::awaitable<std::pair<User, TokenPair>> AuthService::signup(SignupInput in, ClientInfo client) {
  boost::json::object fields;
  if (auto p = email_problem(in.email); !p.empty()) fields["email"] = p;
  if (auto p = username_problem(in.username); !p.empty()) fields["username"] = p;
  if (auto p = password_problem(in.password); !p.empty()) fields["password"] = p;
  if (in.display_name.empty()) in.display_name = in.username;
  if (auto p = display_name_problem(in.display_name); !p.empty()) fields["display_name"] = p;
  else in.display_name = normalize_display_name(in.display_name);
  if (!fields.empty()) throw ApiError(problems::validation(std::move(fields)));
  throttles_.signup(client.ip);

  // The job is a named local: GCC 12 destroys a capturing lambda temporary in a co_await twice.
  auto hash_job = [pw = in.password, params = password_params_] { return hash_password(pw, params); };
  std::string hash = co_await pool_.run(std::move(hash_job));
  User user;
  user.id = ids_.next();
  user.username = in.username;
  user.display_name = in.display_name;
  user.email = in.email;
  user.password_hash = std::move(hash);
  user.created_at = now_text();
  auto tokens = co_await db_.write("auth.signup", [&](store::Tx& tx) {
    if (!tx.exec("SELECT 1 FROM users WHERE email_key = $1", {lower(user.email)}).empty())
      throw ApiError(problems::conflict("email_taken", "an account with this email address exists"));
    if (!tx.exec("SELECT 1 FROM users WHERE username_key = $1", {lower(user.username)}).empty())
      throw ApiError(problems::conflict("username_taken", "this username is taken"));
    tx.exec("INSERT INTO users (id, username, username_key, email, email_key, display_name, password_hash, "
            "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
            {user.id, user.username, lower(user.username), user.email, lower(user.email), user.display_name,
             user.password_hash, user.created_at});
    return open_session(tx, user, client);
  });
  co_await send_verification_mail(*this, user);  // after the commit; never fails the sign-up
  co_return std::make_pair(std::move(user), std::move(tokens));
}

asio::awaitable<std::pair<User, TokenPair>> AuthService::login(std::string login, std::string password,
                                                               std::optional<std::string> totp, ClientInfo client,
                                                               std::string device_token) {
  if (login.empty() || password.empty() || login.size() > 320 || password.size() > 1024)
    throw ApiError(problems::make(401, "invalid_credentials", "the login or password is wrong"));
  auto rows = co_await db_.read(
      "auth.user_by_login",
      std::string("SELECT ") + kUserColumns + " FROM users WHERE (email_key = $1 OR username_key = $1) AND deleted_at IS NULL",
      store::params(lower(login)));
  std::optional<User> user;
  if (!rows.empty()) user = user_from_row(rows.front());
  // Counted as a failure up front (unknown logins alike, keyed by their text); forgiven on success.
  // (No ?: with string temporaries here: GCC 12 destroys those twice in a coroutine.)
  std::string throttle_key = "l:" + lower(login);
  if (user) throttle_key = "u:" + std::to_string(user->id);
  // From a known device (a device token of this very account): counted against that token only,
  // so that failures from elsewhere, by IP or against the account, cannot lock this device out.
  std::optional<DeviceToken> device;
  if (user && !device_token.empty()) {
    device = verify_device_token(*keys_.snapshot(), device_token, clock::unix_ms(clock::now()) / 1000);
    if (device && device->user_id != user->id) device.reset();
  }
  Throttles::LoginTicket ticket;
  if (device) ticket = throttles_.device_login_attempt("d:" + std::to_string(device->device));
  else ticket = throttles_.login_attempt(throttle_key, client.ip);
  if (!co_await check_password(user, password))
    throw ApiError(problems::make(401, "invalid_credentials", "the login or password is wrong"));
  if (user->banned) {
    throttles_.login_succeeded(ticket);
    throw ApiError(problems::make(403, "account_banned", "this account has been suspended"));
  }
  if (user->totp_enabled) {
    if (!totp || totp->empty()) throttles_.login_succeeded(ticket);  // the right password, code still to come
    co_await verify_second_factor(*this, *user, totp);
  }
  throttles_.login_succeeded(ticket);

  const bool rehash = needs_rehash(user->password_hash, password_params_);
  std::string new_hash;
  if (rehash) {
    auto rehash_job = [pw = std::move(password), params = password_params_] { return hash_password(pw, params); };
    new_hash = co_await pool_.run(std::move(rehash_job));
  }
  auto tokens = co_await db_.write("auth.login", [&](store::Tx& tx) {
    if (rehash)
      tx.exec("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3", {new_hash, now_text(), user->id});
    return open_session(tx, *user, client);
  });
  co_return std::make_pair(std::move(*user), std::move(tokens));
}

}  // namespace parley::auth
