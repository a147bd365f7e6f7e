#include "bus/redis/script.hpp"

#include <openssl/sha.h>

namespace parley::bus::redis {

Script::Script(std::string lua) : text(std::move(lua)) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  static constexpr char hex[] = "0123456789abcdef";
  sha1.reserve(2 * SHA_DIGEST_LENGTH);
  for (unsigned char b : digest) {
    sha1.push_back(hex[b >> 4]);
    sha1.push_back(hex[b & 15]);
  }
}

}  // namespace parley::bus::redis
