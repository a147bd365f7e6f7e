#pragma once
// Accounts: sign-up, login, refresh-token rotation with reuse detection, sessions, and the
// per-request authentication every other domain relies on (authenticate()).
#include "auth/data_export.hpp"
#include "auth/jwt.hpp"
#include "auth/password.hpp"
#include "auth/throttles.hpp"
#include "auth/user.hpp"
#include "core/config.hpp"
#include "core/ids.hpp"
#include "core/worker_pool.hpp"
#include "store/database.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace parley::mail {
class Mailer;
}

namespace parley::auth {

namespace asio = boost::asio;

inline constexpr std::int64_t kAccessTokenTtlSeconds = 15 * 60;

struct Principal {
  std::int64_t user_id = 0;
  std::int64_t session_id = 0;
  std::string role;
  std::int64_t expires_at = 0;  // the access token's exp (seconds since the epoch)
};

struct ClientInfo {
  std::string user_agent;
  std::string ip;
};

struct TokenPair {
  std::string access_token;
  std::string refresh_token;
  std::int64_t expires_in = kAccessTokenTtlSeconds;
  std::string device_token = {};  // auth/device_tokens.hpp; set by signup, login and refresh
};

struct SignupInput {
  std::string email, password, username, display_name;
};

struct SessionInfo {
  std::int64_t id = 0;
  std::string created_at, last_used_at, user_agent, ip;
};

// One page of a user's live sessions, newest sign-in first (by id: stable while sessions are used).
struct SessionPage {
  std::vector<SessionInfo> items;
  std::optional<std::int64_t> next_before;  // pass back as `before_id` for the next page
};

class AuthService {
 public:
  AuthService(const Config& config, store::Database& db, WorkerPool& pool, KeyRing& keys, IdGenerator& ids);

  asio::awaitable<std::pair<User, TokenPair>> signup(SignupInput in, ClientInfo client);
  // `device_token`: one a previous login gave this client (auth/device_tokens.hpp). When it is
  // valid for the account, the attempt is counted against the token alone, not the IP or account.
  asio::awaitable<std::pair<User, TokenPair>> login(std::string login, std::string password,
                                                    std::optional<std::string> totp, ClientInfo client,
                                                    std::string device_token = {});
  asio::awaitable<TokenPair> refresh(std::string refresh_token, ClientInfo client);
  // Verifies a bearer token (signature cached) and checks, on every call, that its session is
  // live and its user neither banned nor deleted. Throws ApiError 401.
  asio::awaitable<Principal> authenticate(std::string_view bearer_token);

  asio::awaitable<void> revoke_session(std::int64_t user_id, std::int64_t session_id);
  // `limit` sessions with ids below `before_id` (all when nullopt).
  asio::awaitable<SessionPage> sessions(std::int64_t user_id, int limit, std::optional<std::int64_t> before_id);
  asio::awaitable<std::optional<User>> find_user(std::int64_t id);

  const Config& config() const { return config_; }
  store::Database& db() { return db_; }
  WorkerPool& pool() { return pool_; }
  IdGenerator& ids() { return ids_; }
  const PasswordParams& password_params() const { return password_params_; }
  // Account mails (auth/mail_flows.hpp) go through this mailer; none = no mail is sent.
  void set_mailer(mail::Mailer* mailer) { mailer_ = mailer; }
  mail::Mailer* mailer() const { return mailer_; }
  // Login, sign-up and mail throttles (auth/throttles.hpp), e.g. auth.throttles().mail(address).
  Throttles& throttles() { return throttles_; }
  // The sections of GET /v1/me/export (auth/data_export.hpp); domains add theirs at start.
  ExportRegistry& exports() { return exports_; }

  // Sessions that end here (sign-out, revocation, refresh reuse, password reset, account
  // deletion) are announced after their commit, so that open connections of the session can be
  // closed at once. session_id kAllSessions: every session of the user.
  static constexpr std::int64_t kAllSessions = 0;
  using SessionEnded = std::function<void(std::int64_t user_id, std::int64_t session_id, std::string_view reason)>;
  void on_session_ended(SessionEnded fn) { session_ended_ = std::move(fn); }
  void session_ended(std::int64_t user_id, std::int64_t session_id, std::string_view reason) const {
    if (session_ended_) session_ended_(user_id, session_id, reason);
  }

  // Inside a write: a new session for the user with its first refresh token.
  TokenPair open_session(store::Tx& tx, const User& user, const ClientInfo& client);
  // Signs an access token for an existing session.
  std::string access_token(std::int64_t user_id, std::int64_t session_id, const std::string& role);
  // A device token for the user's device that signed in with `session_id` (auth/device_tokens.hpp).
  std::string device_token(std::int64_t user_id, std::int64_t session_id);
  // Runs a password check on the pool; for an unknown account, checks a dummy hash so that the
  // answer takes as long as for a wrong password.
  asio::awaitable<bool> check_password(const std::optional<User>& user, std::string password);

 private:
  const Config& config_;
  store::Database& db_;
  WorkerPool& pool_;
  KeyRing& keys_;
  IdGenerator& ids_;
  PasswordParams password_params_;
  std::string dummy_hash_;
  mail::Mailer* mailer_ = nullptr;
  Throttles throttles_;
  ExportRegistry exports_;
  SessionEnded session_ended_;
};

// Lower-cased copy (ASCII), for the unique email and username keys.
std::string lower(std::string_view s);
// Now, as stored in the database (RFC 3339, ms).
std::string now_text();

}  // namespace parley::auth
