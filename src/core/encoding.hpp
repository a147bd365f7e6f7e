#pragma once
// Byte encodings (libsodium): base64url without padding, hex, and a 32-byte digest.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace parley::encoding {

std::string base64url(std::span<const std::uint8_t> bytes);
inline std::string base64url(std::string_view s) {
  return base64url(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
}
std::optional<std::vector<std::uint8_t>> from_base64url(std::string_view text);
std::string base64(std::span<const std::uint8_t> bytes);  // standard alphabet, padded

std::string hex(std::span<const std::uint8_t> bytes);

// BLAKE2b-256 of the text: for storing tokens by digest and keying caches.
std::vector<std::uint8_t> digest(std::string_view text);

// Fresh random bytes.
std::vector<std::uint8_t> random_bytes(std::size_t n);

// Constant-time equality of two byte strings (lengths are not secret).
bool equal_ct(std::string_view a, std::string_view b);

}  // namespace parley::encoding
