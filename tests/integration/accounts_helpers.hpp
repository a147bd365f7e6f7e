#pragma once
// Shared pieces of the account tests (MFA, throttles, admin CLI, privacy): sign-up and login
// calls, bearer headers, and TOTP codes from Debian's oathtool.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http_client.hpp"
#include "server_process.hpp"

namespace parley::it::accounts {

// Cheap Argon2id parameters so that logins take milliseconds.
inline const std::vector<std::string> kFastHash = {"--argon2-memory-kib", "1024", "--argon2-passes", "1"};

// A server with cheap Argon2id settings (kFastHash), for tests that are not about hashing.
ServerOptions fast_server();

Headers bearer(const std::string& token);
std::string str(const boost::json::value& v, std::string_view key);

// POST /v1/auth/signup; expects 201 and returns the body ({user, access_token, ...}).
boost::json::object signup(HttpClient& c, const std::string& email, const std::string& username,
                           const std::string& password = "correct horse 1");

// POST /v1/auth/login with an optional totp member.
Response login(HttpClient& c, const std::string& login, const std::string& password,
               const std::optional<std::string>& totp = std::nullopt);

// The 6-digit RFC 6238 code of a base32 secret at a Unix time, from `oathtool --totp -b`.
// Empty on failure (the test then fails on it).
std::string totp_code(const std::string& secret, std::int64_t unix_seconds);

}  // namespace parley::it::accounts
