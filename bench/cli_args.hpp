#pragma once
// Pieces shared by the option parsers of every subcommand (cli.cpp, chat_cli.cpp): an argv
// walker, number parsing, and the options every scenario shares.
#include <charconv>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/core.h>

#include "cli.hpp"

namespace parley::bench {

template <class T>
std::expected<T, std::string> parse_number(std::string_view name, std::string_view text) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size())
    return std::unexpected(fmt::format("{}: '{}' is not a number", name, text));
  return value;
}

// Walks argv; each option takes its value from the next argument or after '='.
class ArgReader {
 public:
  explicit ArgReader(const std::vector<std::string>& args) : args_(args) {}
  bool done() const { return i_ >= args_.size(); }
  // The next option name ("--url"); an inline "=value" is kept for value().
  std::string next_name() {
    std::string a = args_[i_++];
    inline_value_.reset();
    if (auto eq = a.find('='); a.starts_with("--") && eq != std::string::npos) {
      inline_value_ = a.substr(eq + 1);
      a.resize(eq);
    }
    return a;
  }
  std::expected<std::string, std::string> value(std::string_view name) {
    if (inline_value_) return *std::exchange(inline_value_, std::nullopt);
    if (i_ >= args_.size()) return std::unexpected(fmt::format("{} needs a value", name));
    return args_[i_++];
  }
  std::vector<std::string> rest() {
    std::vector<std::string> r(args_.begin() + static_cast<std::ptrdiff_t>(i_), args_.end());
    i_ = args_.size();
    return r;
  }

 private:
  const std::vector<std::string>& args_;
  std::size_t i_ = 0;
  std::optional<std::string> inline_value_;
};

#define PB_TRY(var, expr)                               \
  auto var##_r = (expr);                                \
  if (!var##_r) return std::unexpected(var##_r.error()); \
  auto var = std::move(*var##_r)

// Handles the options every scenario shares; returns false when `name` is not one of them.
std::expected<bool, std::string> common_option(ArgReader& r, const std::string& name, CommonOptions& o,
                                               std::string& url_text);
// Checks and stores the --url (it must have `scheme`).
std::expected<void, std::string> finish_common(CommonOptions& o, const std::string& url_text,
                                               std::string_view scheme);

}  // namespace parley::bench
