#pragma once
// The second factor at login (TOTP or a recovery code).
#include "auth/auth_service.hpp"

namespace parley::auth {

// Throws ApiError 401 mfa_required when `code` is absent, invalid_credentials when it is wrong.
asio::awaitable<void> verify_second_factor(AuthService& auth, const User& user, const std::optional<std::string>& code);

}  // namespace parley::auth
