#pragma once
// Field rules for accounts. Each returns "" when the value is acceptable, else what is wrong.
#include <string>
#include <string_view>

namespace parley::auth {

std::string email_problem(std::string_view email);
// 3-32 of [A-Za-z0-9_.], starting with a letter or digit: ASCII only, so NFC changes nothing and
// usernames compare by their lower-case form (username_key).
std::string username_problem(std::string_view username);
// 1-64 characters once trimmed of Unicode whitespace and NFC-normalised; no control or bidi
// control characters; at least one visible character (core/text.hpp).
std::string display_name_problem(std::string_view name);
// The display name as it is stored: trimmed and NFC (check display_name_problem first).
std::string normalize_display_name(std::string_view name);
std::string bio_problem(std::string_view bio);              // up to 500 characters

}  // namespace parley::auth
