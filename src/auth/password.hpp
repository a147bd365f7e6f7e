#pragma once
// Argon2id password hashing (libsodium). Hashing is CPU- and memory-heavy by design: call these
// on the worker pool, never on an I/O thread.
#include <cstddef>
#include <string>
#include <string_view>

namespace parley::auth {

struct PasswordParams {
  unsigned long long ops = 2;              // passes (OWASP: 2 with 19 MiB)
  std::size_t memory = 19u * 1024 * 1024;  // bytes
};

// The encoded hash ($argon2id$v=19$m=...,t=...,p=1$salt$hash).
std::string hash_password(std::string_view password, const PasswordParams& params);
// Constant-time verification against an encoded hash; false for a malformed hash.
bool verify_password(std::string_view encoded, std::string_view password);
// True when the hash was made with other parameters than `params` (upgrade at the next login).
bool needs_rehash(std::string_view encoded, const PasswordParams& params);

// An encoded Argon2id hash with these parameters and a random salt and digest: checking a password
// against it costs what a real check costs and never succeeds (for unknown accounts). Made without
// hashing, so start-up stays fast.
std::string dummy_password_hash(const PasswordParams& params);

// Empty when acceptable, else what is wrong (8 to 128 characters, counted as code points).
std::string password_problem(std::string_view password);

}  // namespace parley::auth
