#include "metrics_text.hpp"

#include <cstdlib>

namespace parley::it {
namespace {

// Parses `{a="x",b="y"}` starting at text[0] == '{'; returns the index after '}'.
std::size_t parse_labels(std::string_view text, std::map<std::string, std::string>& out) {
  std::size_t i = 1;
  while (i < text.size() && text[i] != '}') {
    auto eq = text.find('=', i);
    if (eq == std::string_view::npos) return text.size();
    std::string name(text.substr(i, eq - i));
    i = eq + 2;  // skip ="
    std::string value;
    while (i < text.size() && text[i] != '"') {
      if (text[i] == '\\' && i + 1 < text.size()) {
        char c = text[++i];
        value += c == 'n' ? '\n' : c;
      } else {
        value += text[i];
      }
      ++i;
    }
    ++i;  // closing quote
    out[name] = value;
    if (i < text.size() && text[i] == ',') ++i;
  }
  return i + 1;
}

}  // namespace

std::vector<Sample> parse_samples(std::string_view text) {
  std::vector<Sample> out;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (line.empty() || line[0] == '#') continue;
    Sample s;
    auto end = line.find_first_of("{ ");
    if (end == std::string_view::npos) continue;
    s.name = std::string(line.substr(0, end));
    std::string_view rest = line.substr(end);
    if (rest[0] == '{') rest.remove_prefix(std::min(rest.size(), parse_labels(rest, s.labels)));
    while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
    std::string value(rest.substr(0, rest.find(' ')));
    s.value = std::strtod(value.c_str(), nullptr);
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<Sample> find_samples(const std::vector<Sample>& samples, std::string_view name,
                                 const std::map<std::string, std::string>& labels) {
  std::vector<Sample> out;
  for (const auto& s : samples) {
    if (s.name != name) continue;
    bool match = true;
    for (const auto& [k, v] : labels) {
      auto it = s.labels.find(k);
      match = match && it != s.labels.end() && it->second == v;
    }
    if (match) out.push_back(s);
  }
  return out;
}

}  // namespace parley::it
