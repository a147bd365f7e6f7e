#pragma once
// Unicode text people read as names (display names, room names), on utf8proc: decoding, Unicode
// whitespace, NFC, and the checks that keep a name from lying (bidi controls that reorder what
// follows, names made only of invisible characters).
#include <optional>
#include <string>
#include <string_view>

namespace parley::text {

// The code points of valid UTF-8 (no overlongs, surrogates or values past U+10FFFF), else nullopt.
// (Only checking, without decoding: utf8::valid in core/utf8.hpp.)
std::optional<std::u32string> decode_utf8(std::string_view s);

// Unicode White_Space: the space separators (Zs), line and paragraph separators, and the
// whitespace controls (tab, LF, VT, FF, CR, U+0085).
bool is_unicode_space(char32_t c);
// Explicit directional formatting: U+202A–202E (embeddings, overrides), U+2066–2069 (isolates),
// and the marks U+200E, U+200F, U+061C.
bool is_bidi_control(char32_t c);
// General category Cc.
bool is_control(char32_t c);
// Draws nothing: spaces, controls, format characters (Cf: zero-width joiners, U+FEFF, U+00AD),
// Default_Ignorable_Code_Point (Hangul fillers U+3164, U+115F, U+1160, U+FFA0, U+180E, …) and
// U+2800 (braille blank).
bool is_invisible(char32_t c);

// Canonical composition (NFC) of valid UTF-8; anything else is returned unchanged.
std::string nfc(std::string_view s);
// Without the Unicode whitespace at both ends (unchanged when not valid UTF-8).
std::string_view trim(std::string_view s);

// A name as it is stored and compared: trimmed and NFC.
std::string normalize_name(std::string_view raw);
// What is wrong with a raw name (checked as normalize_name makes it), "" when acceptable:
// 1..max_chars code points, valid UTF-8, no controls, no bidi controls, something visible.
std::string name_problem(std::string_view raw, std::size_t max_chars);

}  // namespace parley::text
