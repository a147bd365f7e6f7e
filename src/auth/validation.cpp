#include "auth/validation.hpp"

#include "core/text.hpp"
#include "core/utf8.hpp"

#include <cctype>

namespace parley::auth {

std::string email_problem(std::string_view e) {
  if (e.empty()) return "required";
  if (e.size() > 254) return "must be at most 254 characters";
  const auto at = e.find('@');
  if (at == std::string_view::npos || at == 0 || at != e.rfind('@') || at + 1 >= e.size())
    return "not an email address";
  const auto domain = e.substr(at + 1);
  if (domain.find('.') == std::string_view::npos || domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos)
    return "not an email address";
  for (unsigned char c : e)
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' || c == '\\')
      return "not an email address";
  return {};
}

std::string username_problem(std::string_view u) {
  if (u.empty()) return "required";
  if (u.size() < 3 || u.size() > 32) return "must be 3 to 32 characters";
  if (!std::isalnum(static_cast<unsigned char>(u.front()))) return "must start with a letter or digit";
  for (unsigned char c : u)
    if (!std::isalnum(c) && c != '_' && c != '.') return "may contain only letters, digits, _ and .";
  return {};
}

std::string display_name_problem(std::string_view n) { return text::name_problem(n, 64); }

std::string normalize_display_name(std::string_view name) { return text::normalize_name(name); }

std::string bio_problem(std::string_view b) {
  if (utf8::code_points(b) > 500) return "must be at most 500 characters";
  return {};
}

}  // namespace parley::auth
