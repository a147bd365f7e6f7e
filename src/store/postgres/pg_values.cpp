#include "store/postgres/pg_values.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fmt/format.h>

namespace parley::store::pg {
namespace {

// Type OIDs of pg_type (stable since forever).
constexpr Oid kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700,
              kFloat8 = 701, kNumeric = 1700;

std::int64_t parse_int(std::string_view s) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size())
    throw Error(Error::Kind::other, "the store returned a malformed integer");
  return v;
}

Value numeric(std::string_view s) {
  if (s.find_first_of(".eE") == std::string_view::npos) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && end == s.data() + s.size()) return v;
  }
  return std::strtod(std::string(s).c_str(), nullptr);
}

Value cell(const PGresult* r, int row, int col, Oid type) {
  if (PQgetisnull(r, row, col)) return std::monostate{};
  const char* p = PQgetvalue(r, row, col);
  const auto len = static_cast<std::size_t>(PQgetlength(r, row, col));
  std::string_view s(p, len);
  switch (type) {
    case kInt8:
    case kInt4:
    case kInt2:
    case kOid: return parse_int(s);
    case kBool: return std::int64_t{s == "t" ? 1 : 0};
    case kFloat4:
    case kFloat8: return std::strtod(std::string(s).c_str(), nullptr);
    case kNumeric: return numeric(s);
    case kBytea: {
      std::size_t n = 0;
      unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(p), &n);
      if (raw == nullptr) throw Error(Error::Kind::other, "the store returned malformed bytea");
      Blob b(raw, raw + n);
      PQfreemem(raw);
      return b;
    }
    default: return std::string(s);
  }
}

}  // namespace

BoundParams::BoundParams(std::span<const Value> params) {
  const std::size_t n = params.size();
  text_.resize(n);
  values_.resize(n, nullptr);
  lengths_.resize(n, 0);
  formats_.resize(n, 0);
  types_.resize(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const Value& v = params[i];
    if (const auto* x = std::get_if<std::int64_t>(&v)) {
      text_[i] = std::to_string(*x);
      types_[i] = kInt8;
    } else if (const auto* d = std::get_if<double>(&v)) {
      text_[i] = fmt::format("{}", *d);  // shortest round-trip form
      types_[i] = kFloat8;
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      values_[i] = s->data();  // the caller's span outlives the call
      lengths_[i] = static_cast<int>(s->size());
      continue;
    } else if (const auto* b = std::get_if<Blob>(&v)) {
      values_[i] = reinterpret_cast<const char*>(b->data());
      lengths_[i] = static_cast<int>(b->size());
      formats_[i] = 1;
      types_[i] = kBytea;
      continue;
    } else {
      continue;  // NULL: no value, untyped
    }
    values_[i] = text_[i].c_str();
    lengths_[i] = static_cast<int>(text_[i].size());
  }
  // A zero-length string still needs a non-null pointer (null means SQL NULL).
  for (std::size_t i = 0; i < n; ++i)
    if (values_[i] == nullptr && !std::holds_alternative<std::monostate>(params[i])) values_[i] = "";
}

Rows to_rows(const PGresult* r) {
  Rows rows;
  if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_SINGLE_TUPLE) return rows;
  const int nrows = PQntuples(r), ncols = PQnfields(r);
  std::vector<Oid> types(static_cast<std::size_t>(ncols));
  for (int c = 0; c < ncols; ++c) types[static_cast<std::size_t>(c)] = PQftype(r, c);
  rows.reserve(static_cast<std::size_t>(nrows));
  for (int i = 0; i < nrows; ++i) {
    std::vector<Value> values;
    values.reserve(static_cast<std::size_t>(ncols));
    for (int c = 0; c < ncols; ++c) values.push_back(cell(r, i, c, types[static_cast<std::size_t>(c)]));
    rows.emplace_back(std::move(values));
  }
  return rows;
}

std::int64_t changed_rows(const PGresult* r) {
  const char* n = PQcmdTuples(const_cast<PGresult*>(r));
  if (n == nullptr || *n == '\0') return 0;
  std::int64_t v = 0;
  std::from_chars(n, n + std::char_traits<char>::length(n), v);
  return v;
}

Error::Kind kind_of(std::string_view state) {
  if (state == "23505") return Error::Kind::unique_violation;
  if (state == "23503") return Error::Kind::foreign_key;
  if (state.starts_with("23")) return Error::Kind::constraint;
  if (state == "53100") return Error::Kind::full;                   // disk_full
  if (state.starts_with("53")) return Error::Kind::busy;            // insufficient resources
  if (state == "55P03" || state == "57014") return Error::Kind::busy;  // lock_not_available, query_canceled (timeouts)
  if (state == "40001" || state == "40P01") return Error::Kind::busy;  // serialization, deadlock: retried
  if (state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03")
    return Error::Kind::unavailable;  // connection failures, the server shutting down or starting
  if (state.starts_with("58") || state == "XX001" || state == "XX002") return Error::Kind::io;
  return Error::Kind::other;
}

Error result_error(const PGresult* r, std::string_view what) {
  if (r == nullptr) return Error(Error::Kind::unavailable, fmt::format("{}: the connection to PostgreSQL was lost", what));
  const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  const char* primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
  const std::string_view code = state ? state : "";
  std::string message = primary ? primary : PQresStatus(PQresultStatus(r));
  Error e(kind_of(code), fmt::format("{}: {}{}{}", what, message, code.empty() ? "" : " (SQLSTATE ", code.empty() ? "" : std::string(code) + ")"));
  e.set_code(std::string(code));
  return e;
}

Error connection_error(const PGconn* conn, std::string_view what) {
  std::string message = conn ? PQerrorMessage(conn) : "out of memory";
  while (!message.empty() && std::isspace(static_cast<unsigned char>(message.back()))) message.pop_back();
  std::replace(message.begin(), message.end(), '\n', ' ');
  return Error(Error::Kind::unavailable, fmt::format("{}: {}", what, message.empty() ? "no connection" : message));
}

bool retryable(const Error& e) { return e.code() == "40001" || e.code() == "40P01"; }

bool is_script(std::string_view sql) {
  // A ';' followed by more than whitespace and comments. Quotes are not parsed: scripts are ours.
  auto pos = sql.find(';');
  while (pos != std::string_view::npos) {
    std::string_view rest = sql.substr(pos + 1);
    std::size_t i = 0;
    while (i < rest.size()) {
      if (std::isspace(static_cast<unsigned char>(rest[i]))) ++i;
      else if (rest.substr(i, 2) == "--") i = std::min(rest.size(), rest.find('\n', i) == std::string_view::npos ? rest.size() : rest.find('\n', i));
      else return true;
    }
    pos = sql.find(';', pos + 1);
  }
  return false;
}

void ignore_notice(void*, const char*) {}

}  // namespace parley::store::pg
