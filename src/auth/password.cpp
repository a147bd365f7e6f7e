#include "auth/password.hpp"

#include "core/encoding.hpp"

#include <sodium.h>

#include <stdexcept>

namespace parley::auth {

std::string hash_password(std::string_view password, const PasswordParams& params) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), params.ops, params.memory,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("password hashing ran out of memory");
  return out;
}

bool verify_password(std::string_view encoded, std::string_view password) {
  if (encoded.empty() || encoded.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string z(encoded);  // NUL-terminated
  return crypto_pwhash_str_verify(z.c_str(), password.data(), password.size()) == 0;
}

bool needs_rehash(std::string_view encoded, const PasswordParams& params) {
  const std::string z(encoded);
  return crypto_pwhash_str_needs_rehash(z.c_str(), params.ops, params.memory) != 0;
}

std::string dummy_password_hash(const PasswordParams& p) {
  auto b64 = [](std::size_t n) {
    auto s = encoding::base64(encoding::random_bytes(n));
    while (!s.empty() && s.back() == '=') s.pop_back();
    return s;
  };
  return "$argon2id$v=19$m=" + std::to_string(p.memory / 1024) + ",t=" + std::to_string(p.ops) + ",p=1$" + b64(16) +
         "$" + b64(32);
}

std::string password_problem(std::string_view password) {
  std::size_t code_points = 0;
  for (unsigned char c : password)
    if ((c & 0xC0) != 0x80) ++code_points;
  if (code_points < 8) return "must be at least 8 characters";
  if (code_points > 128) return "must be at most 128 characters";
  return {};
}

}  // namespace parley::auth
