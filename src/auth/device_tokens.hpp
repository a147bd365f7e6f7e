#pragma once
// Device tokens (OWASP's "device cookie", Forgot-Password/Authentication cheat sheets): a
// successful login hands the client a token bound to the account, signed with the access-token
// signing key. A later login that presents a valid one for the account it names is "from a known
// device": it skips the per-IP and per-account failed-login limits (so an attacker's guesses from
// elsewhere cannot lock the user out) and counts its failures against that token alone
// (login-limit-device), so a stolen token cannot brute-force either.
//
// A device is named by the session its sign-in opened (an id nobody can choose: sessions open
// only on a correct password). The refreshes of that session hand out tokens for the same device,
// so a thief holding a session cannot mint fresh allowances of guesses by refreshing; each new
// device needs a successful login.
//
// Form: base64url(payload) "." base64url(Ed25519 signature of payload), where the payload is
//   "pd1:" kid ":" user id ":" device (session id) ":" issued-at (s).
// The "pd1:" prefix keeps these signatures apart from JWS signing inputs (which start "eyJ").
// No table: the signing key is the state. `parley keys rotate` keeps older tokens good (retired
// keys still verify them); `--revoke-previous` invalidates them with the key.
#include "auth/signing_keys.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parley::auth {

inline constexpr std::string_view kDeviceCookie = "parley_device";
inline constexpr std::int64_t kDeviceTokenTtlSeconds = 365LL * 24 * 3600;

struct DeviceToken {
  std::int64_t user_id = 0;
  std::int64_t device = 0;  // the session the device signed in with; its failure count is kept under it
  std::int64_t issued_s = 0;
};

std::string issue_device_token(const SigningKey& key, std::int64_t user_id, std::int64_t device, std::int64_t now_s);
// nullopt unless well-formed, signed by a key of `keys` and younger than kDeviceTokenTtlSeconds.
std::optional<DeviceToken> verify_device_token(const KeyRing::Snapshot& keys, std::string_view token,
                                               std::int64_t now_s);

// The Set-Cookie value carrying `token`: HttpOnly, SameSite=Strict, Path=/v1/auth, Secure when
// the public URL is https.
std::string device_cookie(std::string_view token, bool secure);
// A cookie's value from a Cookie request header; empty when absent.
std::string_view cookie_value(std::string_view cookie_header, std::string_view name);

}  // namespace parley::auth
