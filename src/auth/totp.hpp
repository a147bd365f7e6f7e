#pragma once
// TOTP (RFC 6238: HMAC-SHA1, 6 digits, 30 s steps) on liboath, the enrolment URI and its QR code,
// and MFA recovery codes. Pure functions: storage lives in mfa.cpp.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::auth::totp {

inline constexpr unsigned kDigits = 6;
inline constexpr unsigned kPeriodSeconds = 30;
inline constexpr int kWindowSteps = 1;  // accept the previous and the next step too (clock skew)
inline constexpr std::size_t kSecretBytes = 20;
inline constexpr int kRecoveryCodes = 10;

// RFC 4648 base32 (upper case, no padding) and back (case, spaces and padding ignored).
std::string base32_encode(std::string_view bytes);
std::optional<std::string> base32_decode(std::string_view text);

// A fresh random secret, base32.
std::string new_secret();

// The time step of a Unix time.
inline std::int64_t step_of(std::int64_t unix_seconds) { return unix_seconds / kPeriodSeconds; }

// The code for a time step (`digits` 6 to 8; RFC 6238's vectors use 8).
std::string code_at_step(std::string_view secret_bytes, std::int64_t step, unsigned digits = kDigits);

// Checks `code` against the steps around `unix_seconds` (±kWindowSteps) that are later than
// `last_step`, comparing every candidate in constant time. Returns the step it matched.
std::optional<std::int64_t> verify(std::string_view secret_bytes, std::string_view code, std::int64_t unix_seconds,
                                   std::int64_t last_step);

// otpauth://totp/<app>:<account>?secret=…&issuer=<app>&algorithm=SHA1&digits=6&period=30
std::string otpauth_uri(std::string_view app, std::string_view account, std::string_view secret_base32);

// The QR code of `text` as a standalone SVG (all dark modules in one path, with a quiet zone).
std::string qr_svg(std::string_view text);

// A recovery code: 10 characters from an unambiguous alphabet, shown as xxxxx-xxxxx.
std::string new_recovery_code();
// The form codes are hashed in: lower case, without '-' and spaces.
std::string normalize_recovery_code(std::string_view code);

}  // namespace parley::auth::totp
