#include "mail/outbox.hpp"

#include "core/clock.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <regex>
#include <sstream>

namespace parley::mail {
namespace {

bool valid_id(const std::string& id) {
  static const std::regex re("[0-9]{13}-[0-9a-f]{16}");
  return std::regex_match(id, re);
}

std::optional<OutboxEntry> load(const std::filesystem::path& file, const std::string& id) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  std::int64_t ms = 0;
  std::from_chars(id.data(), id.data() + 13, ms);
  return OutboxEntry{id, clock::format_rfc3339_ms(ms), parse(ss.str())};
}

}  // namespace

std::vector<OutboxEntry> list_outbox(const std::filesystem::path& dir, std::size_t limit) {
  std::vector<std::string> ids;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.path().extension() != ".eml") continue;
    auto id = e.path().stem().string();
    if (valid_id(id)) ids.push_back(std::move(id));
  }
  std::sort(ids.begin(), ids.end(), std::greater<>());
  if (ids.size() > limit) ids.resize(limit);
  std::vector<OutboxEntry> out;
  for (const auto& id : ids)
    if (auto entry = load(dir / (id + ".eml"), id)) out.push_back(std::move(*entry));
  return out;
}

std::optional<OutboxEntry> read_outbox(const std::filesystem::path& dir, const std::string& id) {
  if (!valid_id(id)) return std::nullopt;
  return load(dir / (id + ".eml"), id);
}

}  // namespace parley::mail
