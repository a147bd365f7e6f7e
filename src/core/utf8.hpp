#pragma once
// UTF-8 as RFC 3629 defines it: no overlong forms, no surrogates (U+D800..U+DFFF), nothing above
// U+10FFFF. Text from outside (headers, stored data of older versions) is scrubbed with these
// before it is stored or written into a response; core/json_text.hpp makes every JSON we emit
// valid UTF-8 whatever it holds.
#include <cstddef>
#include <string>
#include <string_view>

namespace parley::utf8 {

// Whether `s` is well-formed UTF-8 throughout (ASCII runs are checked eight bytes at a time).
bool valid(std::string_view s);

// `s` with each ill-formed sequence replaced by U+FFFD, one per maximal subpart (Unicode's
// "substitution of maximal subparts", as WHATWG's decoder does): a truncated sequence is one
// U+FFFD, a stray continuation byte is one each. A copy of `s` when it is valid already.
std::string scrub(std::string_view s);

// The number of characters (code points) of the valid UTF-8 text `s`.
std::size_t code_points(std::string_view s);

// The longest prefix of the valid UTF-8 text `s` of at most `max_bytes` bytes that does not end
// inside a character.
std::string_view prefix(std::string_view s, std::size_t max_bytes);

}  // namespace parley::utf8
