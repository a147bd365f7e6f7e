#include "auth/mfa.hpp"

#include "core/problem.hpp"

namespace parley::auth {

// TOTP enrolment arrives with the MFA work; until then no account can have it enabled, and one
// that somehow does is refused rather than let in on a password alone.
asio::awaitable<void> verify_second_factor(AuthService&, const User&, const std::optional<std::string>& code) {
  if (!code || code->empty())
    throw ApiError(problems::make(401, "mfa_required", "this account needs a one-time code (totp)"));
  throw ApiError(problems::make(401, "invalid_credentials", "the login or password is wrong"));
  co_return;
}

}  // namespace parley::auth
