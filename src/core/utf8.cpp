#include "core/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace parley::utf8 {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// The length of the well-formed prefix of the sequence starting at s[i] (0 when s[i] cannot
// start one) and whether that prefix is a whole character.
struct Step {
  std::size_t length = 0;
  bool complete = false;
};

Step step(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return {1, true};
  std::size_t need = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) need = 1;
  else if (b0 == 0xE0) need = 2, lo = 0xA0;                  // no overlongs
  else if (b0 >= 0xE1 && b0 <= 0xEC) need = 2;
  else if (b0 == 0xED) need = 2, hi = 0x9F;                  // no surrogates
  else if (b0 >= 0xEE && b0 <= 0xEF) need = 2;
  else if (b0 == 0xF0) need = 3, lo = 0x90;                  // no overlongs
  else if (b0 >= 0xF1 && b0 <= 0xF3) need = 3;
  else if (b0 == 0xF4) need = 3, hi = 0x8F;                  // nothing above U+10FFFF
  else return {0, false};                                    // 80..C1, F5..FF
  std::size_t n = 1;
  for (std::size_t k = 0; k < need; ++k, ++n) {
    if (i + n >= s.size()) return {n, false};
    const auto b = static_cast<unsigned char>(s[i + n]);
    const unsigned char min = k == 0 ? lo : 0x80, max = k == 0 ? hi : 0xBF;
    if (b < min || b > max) return {n, false};
  }
  return {n, true};
}

// The index of the first byte at or after `i` that is not ASCII (s.size() when none).
std::size_t skip_ascii(std::string_view s, std::size_t i) {
  while (i + 8 <= s.size()) {
    std::uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    if (word & 0x8080808080808080ULL) break;
    i += 8;
  }
  while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  return i;
}

}  // namespace

bool valid(std::string_view s) {
  std::size_t i = 0;
  while ((i = skip_ascii(s, i)) < s.size()) {
    const auto st = step(s, i);
    if (!st.complete) return false;
    i += st.length;
  }
  return true;
}

std::string scrub(std::string_view s) {
  std::string out;
  std::size_t i = skip_ascii(s, 0);
  if (i == s.size()) return std::string(s);
  out.reserve(s.size() + 8);
  out.append(s.data(), i);
  while (i < s.size()) {
    const std::size_t plain = skip_ascii(s, i);
    out.append(s.data() + i, plain - i);
    i = plain;
    if (i == s.size()) break;
    const auto st = step(s, i);
    if (st.complete) {
      out.append(s.data() + i, st.length);
      i += st.length;
    } else {
      out += kReplacement;
      i += st.length == 0 ? 1 : st.length;
    }
  }
  return out;
}

std::string_view prefix(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  std::size_t end = max_bytes;
  // Back up over continuation bytes to the start of the character that does not fit.
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

}  // namespace parley::utf8
