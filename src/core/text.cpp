#include "core/text.hpp"

#include "core/utf8.hpp"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

namespace parley::text {
namespace {

}  // namespace

std::optional<std::u32string> decode_utf8(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  auto left = static_cast<utf8proc_ssize_t>(s.size());
  while (left > 0) {
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(p, left, &cp);
    if (n <= 0 || cp < 0) return std::nullopt;
    out.push_back(static_cast<char32_t>(cp));
    p += n;
    left -= n;
  }
  return out;
}

bool is_unicode_space(char32_t c) {
  if ((c >= 0x09 && c <= 0x0D) || c == 0x85) return true;
  if (c > 0x10FFFF) return false;
  const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(c));
  return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP;
}

bool is_bidi_control(char32_t c) {
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F || c == 0x061C;
}

bool is_control(char32_t c) {
  return c <= 0x10FFFF && utf8proc_category(static_cast<utf8proc_int32_t>(c)) == UTF8PROC_CATEGORY_CC;
}

bool is_invisible(char32_t c) {
  if (c > 0x10FFFF) return true;
  if (is_unicode_space(c) || c == 0x2800 || c == 0x3164 || c == 0x115F || c == 0x1160 || c == 0xFFA0 || c == 0x180E)
    return true;
  const auto cp = static_cast<utf8proc_int32_t>(c);
  const auto cat = utf8proc_category(cp);
  if (cat == UTF8PROC_CATEGORY_CC || cat == UTF8PROC_CATEGORY_CF) return true;
  return utf8proc_get_property(cp)->ignorable != 0;
}

std::string nfc(std::string_view s) {
  if (s.empty()) return {};
  utf8proc_uint8_t* out = nullptr;
  const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()), static_cast<utf8proc_ssize_t>(s.size()),
                              &out, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  const std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(out, &std::free);
  if (n < 0) return std::string(s);
  return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
}

std::string_view trim(std::string_view s) {
  const auto* begin = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  std::size_t first = s.size(), last = 0, pos = 0;  // [first, last): from the first to past the last non-space
  while (pos < s.size()) {
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(begin + pos, static_cast<utf8proc_ssize_t>(s.size() - pos), &cp);
    if (n <= 0 || cp < 0) return s;
    if (!is_unicode_space(static_cast<char32_t>(cp))) {
      if (first == s.size()) first = pos;
      last = pos + static_cast<std::size_t>(n);
    }
    pos += static_cast<std::size_t>(n);
  }
  if (first == s.size()) return s.substr(0, 0);
  return s.substr(first, last - first);
}

std::string normalize_name(std::string_view raw) { return nfc(trim(raw)); }

std::string name_problem(std::string_view raw, std::size_t max_chars) {
  const std::string length = "must be 1 to " + std::to_string(max_chars) + " characters";
  if (raw.empty()) return length;
  auto cps = decode_utf8(raw);
  if (!cps) return "must be valid UTF-8";
  const std::string name = normalize_name(raw);
  if (name.empty()) return "must contain a visible character";
  if (utf8::code_points(name) > max_chars) return length;
  bool visible = false;
  for (char32_t c : *cps) {
    if (is_control(c)) return "must not contain control characters";
    if (is_bidi_control(c)) return "must not contain bidirectional control characters";
    if (!is_invisible(c)) visible = true;
  }
  if (!visible) return "must contain a visible character";
  return {};
}

}  // namespace parley::text
