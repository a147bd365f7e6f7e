#include "log_lines.hpp"

#include <boost/json/parse.hpp>

namespace parley::it {

std::vector<boost::json::object> parse_log_lines(std::string_view text) {
  std::vector<boost::json::object> out;
  while (!text.empty()) {
    auto nl = text.find('\n');
    if (nl == std::string_view::npos) break;  // an unfinished last line is not read yet
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl + 1);
    boost::system::error_code ec;
    auto v = boost::json::parse(line, ec);
    if (!ec && v.is_object()) out.push_back(std::move(v.as_object()));
  }
  return out;
}

std::string log_string(const boost::json::object& line, std::string_view key) {
  auto* v = line.if_contains(key);
  if (v == nullptr || !v->is_string()) return {};
  return std::string(v->as_string());
}

}  // namespace parley::it
