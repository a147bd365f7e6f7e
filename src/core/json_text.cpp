#include "core/json_text.hpp"

#include "core/utf8.hpp"

#include <boost/json/serialize.hpp>

namespace parley {

std::string json_text(const boost::json::value& v) {
  std::string text = boost::json::serialize(v);
  if (!utf8::valid(text)) text = utf8::scrub(text);
  return text;
}

}  // namespace parley
