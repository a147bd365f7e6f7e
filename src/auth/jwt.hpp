#pragma once
// Access tokens: compact JWS with alg EdDSA (Ed25519), claims sub, sid, role, iat, exp, iss.
#include "auth/signing_keys.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parley::auth {

struct Claims {
  std::int64_t sub = 0;  // user id
  std::int64_t sid = 0;  // session id
  std::string role;
  std::int64_t iat = 0;  // seconds since the epoch
  std::int64_t exp = 0;
  std::string kid = {};  // the key that signed it (set by verify_token)
};

std::string sign_token(const SigningKey& key, const Claims& claims, const std::string& issuer);

// Checks structure, alg, kid, signature, issuer and expiry (against now_s). nullopt when any fails.
std::optional<Claims> verify_token(const KeyRing::Snapshot& keys, std::string_view token, const std::string& issuer,
                                   std::int64_t now_s);

// Verified tokens by digest, per thread (no lock), bounded, least recently used evicted, and each
// entry good only until its token's exp. A hit skips the signature check only: revocation is
// checked on every request by the authenticator, and so is the key (a hit whose `kid` is no longer
// in the key ring, after `parley keys rotate --revoke-previous`, is refused).
class TokenCache {
 public:
  static std::optional<Claims> get(std::string_view token, std::int64_t now_s);
  static void put(std::string_view token, const Claims& claims);
  static void set_capacity(std::size_t per_thread);
};

}  // namespace parley::auth
