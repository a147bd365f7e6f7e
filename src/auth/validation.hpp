#pragma once
// Field rules for accounts. Each returns "" when the value is acceptable, else what is wrong.
#include <string>
#include <string_view>

namespace parley::auth {

std::string email_problem(std::string_view email);
std::string username_problem(std::string_view username);    // 3-32 of [A-Za-z0-9_.], starting with a letter or digit
std::string display_name_problem(std::string_view name);    // 1-64 characters, no control characters
std::string bio_problem(std::string_view bio);              // up to 500 characters

}  // namespace parley::auth
