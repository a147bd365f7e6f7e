#include "store/value.hpp"

#include <fmt/format.h>

#include "store/error.hpp"

namespace parley::store {
namespace {

const char* type_name(const Value& v) {
  switch (v.index()) {
    case 0: return "NULL";
    case 1: return "integer";
    case 2: return "real";
    case 3: return "text";
    default: return "blob";
  }
}

[[noreturn]] void mismatch(std::size_t i, const Value& v, const char* wanted) {
  throw Error(Error::Kind::other, fmt::format("column {} is {}, not {}", i, type_name(v), wanted));
}

}  // namespace

const Value& Row::value(std::size_t i) const {
  if (i >= values_.size())
    throw Error(Error::Kind::other, fmt::format("column {} out of range (row has {})", i, values_.size()));
  return values_[i];
}

bool Row::is_null(std::size_t i) const { return std::holds_alternative<std::monostate>(value(i)); }

std::int64_t Row::int64(std::size_t i) const {
  const Value& v = value(i);
  if (auto* p = std::get_if<std::int64_t>(&v)) return *p;
  mismatch(i, v, "integer");
}

double Row::real(std::size_t i) const {
  const Value& v = value(i);
  if (auto* p = std::get_if<double>(&v)) return *p;
  if (auto* p = std::get_if<std::int64_t>(&v)) return static_cast<double>(*p);
  mismatch(i, v, "real");
}

std::string_view Row::text(std::size_t i) const {
  const Value& v = value(i);
  if (auto* p = std::get_if<std::string>(&v)) return *p;
  mismatch(i, v, "text");
}

std::span<const std::uint8_t> Row::blob(std::size_t i) const {
  const Value& v = value(i);
  if (auto* p = std::get_if<Blob>(&v)) return *p;
  if (auto* p = std::get_if<std::string>(&v))
    return {reinterpret_cast<const std::uint8_t*>(p->data()), p->size()};
  mismatch(i, v, "blob");
}

std::optional<std::int64_t> Row::opt_int64(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return int64(i);
}

std::optional<std::string> Row::opt_text(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return std::string(text(i));
}

std::string id_list(const std::vector<std::int64_t>& ids) {
  std::string out = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) out.push_back(',');
    out += std::to_string(ids[i]);
  }
  out.push_back(']');
  return out;
}

}  // namespace parley::store
