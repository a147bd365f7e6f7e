#pragma once
// The server logs JSON lines on stdout; these helpers parse them (lines that are not JSON
// objects are skipped) and look fields up.
#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace parley::it {

std::vector<boost::json::object> parse_log_lines(std::string_view text);

// The string value of `key` in `line`, or "" if absent or not a string.
std::string log_string(const boost::json::object& line, std::string_view key);

}  // namespace parley::it
