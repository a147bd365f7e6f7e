#pragma once
// TOTP MFA: enrolment, activation (with recovery codes), disabling, the second factor at login and
// the re-check that guards sensitive actions (disabling MFA, deleting the account).
#include "auth/auth_service.hpp"
#include "net/router.hpp"

namespace parley::auth {

// Throws ApiError 401 mfa_required when `code` is absent, invalid_credentials when it is wrong.
asio::awaitable<void> verify_second_factor(AuthService& auth, const User& user, const std::optional<std::string>& code);

// Checks a TOTP code (a time step is accepted once per user) or an unused recovery code, and
// consumes it. False when it is wrong, reused, or the user has no TOTP secret.
asio::awaitable<bool> consume_second_factor(AuthService& auth, std::int64_t user_id, std::string code);

// Password, plus the second factor when TOTP is enabled, for a signed-in user about to do
// something sensitive. Throttled like failed logins. Throws 403 invalid_credentials or mfa_required.
asio::awaitable<void> reauthenticate(AuthService& auth, const User& user, const std::optional<std::string>& password,
                                     const std::optional<std::string>& code, const ClientInfo& client);

// POST /v1/auth/mfa/totp/enroll, /activate, /disable.
void add_mfa_routes(net::Router& router, AuthService& auth);

}  // namespace parley::auth
