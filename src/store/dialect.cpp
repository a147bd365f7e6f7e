#include "store/dialect.hpp"

namespace parley::store::dialect {
namespace {

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
  return s;
}

}  // namespace

std::string for_sqlite(std::string_view sql) {
  std::string out = replace_all(std::string(sql), " FOR UPDATE SKIP LOCKED", "");
  return replace_all(std::move(out), " FOR UPDATE", "");
}

std::string for_postgres(std::string_view sql) { return replace_all(std::string(sql), "json_each(", "parley_json_ids("); }

}  // namespace parley::store::dialect
