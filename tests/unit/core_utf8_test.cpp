// core/utf8 and core/json_text: RFC 3629 validity (overlongs, surrogates, truncation, > U+10FFFF,
// stray continuation bytes), U+FFFD per maximal subpart, prefixes cut at a character, and JSON
// text that is valid UTF-8 whatever its strings held.
#include "core/json_text.hpp"
#include "core/utf8.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <string>

namespace parley {
namespace {

const std::string R = "\xEF\xBF\xBD";  // U+FFFD

TEST(Utf8, ValidText) {
  EXPECT_TRUE(utf8::valid(""));
  EXPECT_TRUE(utf8::valid("plain ASCII, longer than eight bytes"));
  EXPECT_TRUE(utf8::valid(std::string("nul \0 inside", 12)));
  EXPECT_TRUE(utf8::valid("\xC2\x80"));                 // U+0080, the smallest two-byte
  EXPECT_TRUE(utf8::valid("\xDF\xBF"));                 // U+07FF
  EXPECT_TRUE(utf8::valid("\xE0\xA0\x80"));             // U+0800
  EXPECT_TRUE(utf8::valid("\xED\x9F\xBF"));             // U+D7FF, just below the surrogates
  EXPECT_TRUE(utf8::valid("\xEE\x80\x80"));             // U+E000, just above them
  EXPECT_TRUE(utf8::valid("\xEF\xBF\xBF"));             // U+FFFF
  EXPECT_TRUE(utf8::valid("\xF0\x90\x80\x80"));         // U+10000
  EXPECT_TRUE(utf8::valid("\xF4\x8F\xBF\xBF"));         // U+10FFFF, the largest
  EXPECT_TRUE(utf8::valid("Grüße, 日本語, עברית, 🎉 mixed with ASCII"));
}

TEST(Utf8, InvalidText) {
  EXPECT_FALSE(utf8::valid("\x80"));                    // a continuation byte alone
  EXPECT_FALSE(utf8::valid("abcdefgh\xBF"));            // after an ASCII run of eight
  EXPECT_FALSE(utf8::valid("\xC0\xAF"));                // overlong '/'
  EXPECT_FALSE(utf8::valid("\xC1\xBF"));                // overlong
  EXPECT_FALSE(utf8::valid("\xE0\x80\xAF"));            // overlong three-byte
  EXPECT_FALSE(utf8::valid("\xE0\x9F\xBF"));            // overlong U+07FF
  EXPECT_FALSE(utf8::valid("\xF0\x80\x80\xAF"));        // overlong four-byte
  EXPECT_FALSE(utf8::valid("\xF0\x8F\xBF\xBF"));        // overlong U+FFFF
  EXPECT_FALSE(utf8::valid("\xED\xA0\x80"));            // U+D800, a surrogate
  EXPECT_FALSE(utf8::valid("\xED\xBF\xBF"));            // U+DFFF
  EXPECT_FALSE(utf8::valid("\xED\xA0\xBD\xED\xB8\x80"));  // a CESU-8 surrogate pair
  EXPECT_FALSE(utf8::valid("\xF4\x90\x80\x80"));        // U+110000
  EXPECT_FALSE(utf8::valid("\xF5\x80\x80\x80"));        // lead bytes F5..FF never occur
  EXPECT_FALSE(utf8::valid("\xFF"));
  EXPECT_FALSE(utf8::valid("\xFE\xFF"));
  EXPECT_FALSE(utf8::valid("\xC3"));                    // truncated two-byte
  EXPECT_FALSE(utf8::valid("\xE6\x97"));                // truncated three-byte
  EXPECT_FALSE(utf8::valid("\xF0\x9F\x8E"));            // truncated four-byte
  EXPECT_FALSE(utf8::valid("\xC3 "));                   // a lead byte then ASCII
}

TEST(Utf8, ScrubKeepsValidTextAsItIs) {
  const std::string s = "Grüße 🎉 and ASCII";
  EXPECT_EQ(utf8::scrub(s), s);
  EXPECT_EQ(utf8::scrub(""), "");
}

TEST(Utf8, ScrubReplacesEachMaximalSubpart) {
  EXPECT_EQ(utf8::scrub("a\x80z"), "a" + R + "z");
  EXPECT_EQ(utf8::scrub("\x80\x80"), R + R);                       // each stray continuation
  EXPECT_EQ(utf8::scrub("\xC0\xAF"), R + R);                       // C0 never starts a sequence
  EXPECT_EQ(utf8::scrub("\xE0\x80\xAF"), R + R + R);               // E0 80: 80 is out of range
  EXPECT_EQ(utf8::scrub("\xED\xA0\x80"), R + R + R);               // surrogate
  EXPECT_EQ(utf8::scrub("\xF4\x90\x80\x80"), R + R + R + R);       // > U+10FFFF
  EXPECT_EQ(utf8::scrub("\xF0\x9F\x8E"), R);                       // truncated at the end: one
  EXPECT_EQ(utf8::scrub("\xF0\x9F\x8Ex"), R + "x");                // truncated before ASCII: one
  EXPECT_EQ(utf8::scrub("\xE6\x97\xE6\x97\xA5"), R + "\xE6\x97\xA5");  // then a whole 日
  EXPECT_EQ(utf8::scrub("\xFF" "abc\xFE"), R + "abc" + R);
  // The result is always valid.
  for (const std::string bad : {"\xC3", "\xED\xBF\xBF", "\xF5\x80", "ok\xF4\x90", "\xE0\xA0"})
    EXPECT_TRUE(utf8::valid(utf8::scrub(bad))) << bad;
}

TEST(Utf8, PrefixCutsAtACharacter) {
  const std::string s = "ab\xE6\x97\xA5";  // "ab日"
  EXPECT_EQ(utf8::prefix(s, 10), s);
  EXPECT_EQ(utf8::prefix(s, 5), s);
  EXPECT_EQ(utf8::prefix(s, 4), "ab");
  EXPECT_EQ(utf8::prefix(s, 3), "ab");
  EXPECT_EQ(utf8::prefix(s, 2), "ab");
  EXPECT_EQ(utf8::prefix(s, 0), "");
}

TEST(JsonText, SerializesAndScrubsInvalidStrings) {
  boost::json::object o{{"ua", "Mozilla\xFF\xC0/5.0"}, {"ok", "日本"}, {"n", 1}};
  const auto text = json_text(o);
  EXPECT_TRUE(utf8::valid(text));
  const auto back = boost::json::parse(text).as_object();  // boost::json refuses invalid UTF-8
  EXPECT_EQ(back.at("ua").as_string(), "Mozilla" + R + R + "/5.0");
  EXPECT_EQ(back.at("ok").as_string(), "日本");
  // Valid input is exactly boost::json::serialize's text.
  boost::json::object good{{"a", "Grüße \"quoted\"\n"}};
  EXPECT_EQ(json_text(good), boost::json::serialize(good));
}

}  // namespace
}  // namespace parley
