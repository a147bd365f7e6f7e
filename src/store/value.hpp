#pragma once
// Backend-neutral values and result rows. A Value is what a statement binds and what a column
// holds; std::monostate is SQL NULL.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace parley::store {

using Blob = std::vector<std::uint8_t>;
using Value = std::variant<std::monostate, std::int64_t, double, std::string, Blob>;

// One result row. Accessors throw store::Error (kind other) on a NULL or a value of another type
// (real() also accepts an integer; blob() also accepts text), and on an index out of range.
class Row {
 public:
  Row() = default;
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}

  std::size_t size() const { return values_.size(); }
  const Value& value(std::size_t i) const;
  bool is_null(std::size_t i) const;

  std::int64_t int64(std::size_t i) const;
  double real(std::size_t i) const;
  std::string_view text(std::size_t i) const;  // valid as long as the row lives
  std::span<const std::uint8_t> blob(std::size_t i) const;

  // NULL-tolerant variants: nullopt for NULL.
  std::optional<std::int64_t> opt_int64(std::size_t i) const;
  std::optional<std::string> opt_text(std::size_t i) const;

  std::vector<Value>& values() { return values_; }
  const std::vector<Value>& values() const { return values_; }

 private:
  std::vector<Value> values_;
};

using Rows = std::vector<Row>;

// A list of ids as one parameter: "[1,2,3]", for `IN (SELECT value FROM json_each($n))`.
std::string id_list(const std::vector<std::int64_t>& ids);

// Parameters for Database::read: params(a, b, c). Prefer this to a braced list inside a co_await
// expression, where GCC 12 rejects the initializer_list's backing array ("array used as initializer").
template <class... A>
std::vector<Value> params(A&&... a) {
  std::vector<Value> v;
  v.reserve(sizeof...(A));
  (v.emplace_back(std::forward<A>(a)), ...);
  return v;
}

}  // namespace parley::store
