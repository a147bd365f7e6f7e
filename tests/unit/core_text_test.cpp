// Names that lie (issue 11 item 8): Unicode whitespace, NFC, bidi controls and invisible names.
#include <gtest/gtest.h>

#include "auth/validation.hpp"
#include "chat/validation.hpp"
#include "core/text.hpp"

namespace parley::text {
namespace {

TEST(CoreText, DecodesOnlyValidUtf8) {
  EXPECT_EQ(decode_utf8("a\xc3\xa9"), std::u32string(U"a\u00e9"));
  EXPECT_FALSE(decode_utf8("\xff"));
  EXPECT_FALSE(decode_utf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(decode_utf8("\xed\xa0\x80"));      // a UTF-16 surrogate
  EXPECT_FALSE(decode_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(decode_utf8("\xe2\x82"));          // cut short
  EXPECT_TRUE(decode_utf8(std::string("a\0b", 3)));
}

TEST(CoreText, EveryUnicodeSpaceIsWhitespace) {
  for (char32_t c : {U' ', U'\t', U'\n', U'\r', U'\v', U'\f', U'\u0085', U'\u00a0', U'\u1680', U'\u2000', U'\u2007',
                     U'\u200a', U'\u2028', U'\u2029', U'\u202f', U'\u205f', U'\u3000'})
    EXPECT_TRUE(is_unicode_space(c)) << static_cast<unsigned>(c);
  for (char32_t c : {U'a', U'\u200b', U'\u00e9', U'_'}) EXPECT_FALSE(is_unicode_space(c)) << static_cast<unsigned>(c);
}

TEST(CoreText, TrimsUnicodeSpaces) {
  EXPECT_EQ(trim("  a b  "), "a b");
  EXPECT_EQ(trim("\u00a0\u3000Alice\u2003"), "Alice");
  EXPECT_EQ(trim("\u3000\u00a0"), "");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim("\xff "), "\xff ");  // not UTF-8: left alone (and refused by the name checks)
}

TEST(CoreText, NfcComposes) {
  EXPECT_EQ(nfc("e\u0301"), "\u00e9");
  EXPECT_EQ(nfc("\u00e9"), "\u00e9");
  EXPECT_EQ(nfc("A\u030a"), "\u00c5");
  EXPECT_EQ(nfc("\u212b"), "\u00c5");  // the angstrom sign is canonically Å
  EXPECT_EQ(nfc("plain"), "plain");
  EXPECT_EQ(nfc(""), "");
  EXPECT_EQ(nfc("\xff"), "\xff");
  EXPECT_EQ(normalize_name("  e\u0301  "), "\u00e9");
}

TEST(CoreText, BidiControls) {
  for (char32_t c : {U'\u202a', U'\u202b', U'\u202c', U'\u202d', U'\u202e', U'\u2066', U'\u2067', U'\u2068',
                     U'\u2069', U'\u200e', U'\u200f', U'\u061c'})
    EXPECT_TRUE(is_bidi_control(c)) << static_cast<unsigned>(c);
  EXPECT_FALSE(is_bidi_control(U'\u05d0'));  // Hebrew letters are fine
}

TEST(CoreText, InvisibleCharacters) {
  for (char32_t c : {U'\u200b', U'\u200c', U'\u200d', U'\u2060', U'\ufeff', U'\u00ad', U'\u3164', U'\u115f',
                     U'\u1160', U'\uffa0', U'\u180e', U'\u2800', U'\u00a0', U'\u3000', U'\u034f'})
    EXPECT_TRUE(is_invisible(c)) << static_cast<unsigned>(c);
  for (char32_t c : {U'a', U'\u00e9', U'\u05d0', U'\u4e2d', U'\U0001f600', U'.'})
    EXPECT_FALSE(is_invisible(c)) << static_cast<unsigned>(c);
}

TEST(CoreText, NameProblems) {
  EXPECT_EQ(name_problem("Alice", 64), "");
  EXPECT_EQ(name_problem("\u05d3\u05e0\u05d4", 64), "");                  // Hebrew
  EXPECT_EQ(name_problem("\U0001f468\u200d\U0001f469\u200d\U0001f467", 64), "");  // a ZWJ emoji sequence
  EXPECT_EQ(name_problem("Al\u00adice", 64), "");                         // invisible inside a visible name
  EXPECT_EQ(name_problem("", 64), "must be 1 to 64 characters");
  EXPECT_EQ(name_problem(std::string(65, 'x'), 64), "must be 1 to 64 characters");
  EXPECT_EQ(name_problem(" " + std::string(64, 'x') + " ", 64), "");  // counted once trimmed
  EXPECT_EQ(name_problem("\xff", 64), "must be valid UTF-8");
  EXPECT_EQ(name_problem("a\nb", 64), "must not contain control characters");
  EXPECT_EQ(name_problem("a\x7f", 64), "must not contain control characters");
  EXPECT_EQ(name_problem("evil\u202egnp.exe", 64), "must not contain bidirectional control characters");
  EXPECT_EQ(name_problem("\u2066x\u2069", 64), "must not contain bidirectional control characters");
  EXPECT_EQ(name_problem("x\u200f", 64), "must not contain bidirectional control characters");
  for (const char* blank : {"   ", "\u00a0\u00a0", "\u3000", "\u200b", "\u200c\u200d", "\u2060", "\ufeff", "\u00ad",
                            "\u3164", "\u115f\u1160", "\uffa0", "\u180e", "\u2800", " \u200b "})
    EXPECT_EQ(name_problem(blank, 64), "must contain a visible character") << blank;
  // Decomposed and composed forms count the same once normalised.
  std::string decomposed;
  for (int i = 0; i < 64; ++i) decomposed += "e\u0301";
  EXPECT_EQ(name_problem(decomposed, 64), "");
}

TEST(CoreText, DomainRulesUseIt) {
  EXPECT_EQ(auth::display_name_problem("\u202eecilA"), "must not contain bidirectional control characters");
  EXPECT_EQ(auth::display_name_problem("\u3000"), "must contain a visible character");
  EXPECT_EQ(auth::normalize_display_name("\u00a0e\u0301\u00a0"), "\u00e9");
  EXPECT_EQ(chat::room_name_problem("\u200b"), "must contain a visible character");
  EXPECT_EQ(chat::room_name_problem(std::string(101, 'x')), "must be 1 to 100 characters");
  EXPECT_EQ(chat::normalize_room_name(" Cafe\u0301 "), "Caf\u00e9");
}

}  // namespace
}  // namespace parley::text
