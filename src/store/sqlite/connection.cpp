#include "store/sqlite/connection.hpp"

#include "store/dialect.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>

namespace parley::store::sqlite {
namespace {

constexpr std::size_t max_cached_statements = 512;

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

// "$7" or "?7" -> 7; nameless "?" -> its index; anything else (":name") -> 0 (unsupported).
int param_number(sqlite3_stmt* stmt, int index) {
  const char* name = sqlite3_bind_parameter_name(stmt, index);
  if (name == nullptr) return index;
  std::string_view n(name);
  if (n.size() < 2 || (n[0] != '$' && n[0] != '?')) return 0;
  int v = 0;
  for (char c : n.substr(1)) {
    if (c < '0' || c > '9' || v > 100000) return 0;
    v = v * 10 + (c - '0');
  }
  return v;
}

void bind(sqlite3_stmt* stmt, int index, const Value& value, int& rc) {
  struct Binder {
    sqlite3_stmt* s;
    int i;
    int operator()(std::monostate) const { return sqlite3_bind_null(s, i); }
    int operator()(std::int64_t v) const { return sqlite3_bind_int64(s, i, v); }
    int operator()(double v) const { return sqlite3_bind_double(s, i, v); }
    int operator()(const std::string& v) const {
      return sqlite3_bind_text64(s, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    }
    int operator()(const Blob& v) const { return sqlite3_bind_blob64(s, i, v.data(), v.size(), SQLITE_TRANSIENT); }
  };
  rc = std::visit(Binder{stmt, index}, value);
}

Value column(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER: return std::int64_t{sqlite3_column_int64(stmt, i)};
    case SQLITE_FLOAT: return sqlite3_column_double(stmt, i);
    case SQLITE_TEXT: {
      auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)));
    }
    case SQLITE_BLOB: {
      auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt, i));
      return Blob(p, p + sqlite3_column_bytes(stmt, i));
    }
    default: return std::monostate{};
  }
}

}  // namespace

Error::Kind error_kind(int code) {
  switch (code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY: return Error::Kind::unique_violation;
    case SQLITE_CONSTRAINT_FOREIGNKEY: return Error::Kind::foreign_key;
    default: break;
  }
  switch (code & 0xff) {
    case SQLITE_CONSTRAINT: return Error::Kind::constraint;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return Error::Kind::busy;
    case SQLITE_FULL: return Error::Kind::full;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return Error::Kind::io;
    default: return Error::Kind::other;
  }
}

Connection::Connection(const std::filesystem::path& file, Mode mode) {
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  flags |= mode == Mode::writer ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
  int rc = sqlite3_open_v2(file.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw Error(error_kind(rc), fmt::format("cannot open {}: {}", file.string(), msg));
  }
  sqlite3_extended_result_codes(db_, 1);
  exec("PRAGMA busy_timeout = 5000");
  exec("PRAGMA foreign_keys = ON");
  if (mode == Mode::writer) {
    Rows r = exec("PRAGMA journal_mode = WAL");
    if (r.empty() || r[0].text(0) != "wal") throw Error(Error::Kind::io, "cannot switch the database to WAL mode");
    // FULL: COMMIT returns only after the WAL is fsynced, so an acknowledged write is durable.
    exec("PRAGMA synchronous = FULL");
  } else {
    exec("PRAGMA query_only = 1");
  }
}

Connection::~Connection() {
  clear_cache();
  sqlite3_close_v2(db_);
}

void Connection::clear_cache() {
  for (auto& [sql, st] : cache_) sqlite3_finalize(st.stmt);
  cache_.clear();
}

void Connection::fail(int rc, std::string_view what) const {
  throw Error(error_kind(rc), fmt::format("{}: {}", what, sqlite3_errmsg(db_)));
}

std::int64_t Connection::changes() const { return sqlite3_changes64(db_); }
bool Connection::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

Connection::Statement Connection::prepare(std::string_view sql, std::string_view& rest, bool persistent) {
  Statement st;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), persistent ? SQLITE_PREPARE_PERSISTENT : 0,
                              &st.stmt, &tail);
  if (rc != SQLITE_OK) fail(rc, "prepare");
  rest = tail ? sql.substr(static_cast<std::size_t>(tail - sql.data())) : std::string_view{};
  if (st.stmt == nullptr) return st;
  int n = sqlite3_bind_parameter_count(st.stmt);
  for (int i = 1; i <= n; ++i) {
    int number = param_number(st.stmt, i);
    if (number == 0) {
      sqlite3_finalize(st.stmt);
      throw Error(Error::Kind::other, "only $1, $2, ... (or ?) parameters are supported");
    }
    st.param_numbers.push_back(number);
    st.max_param = std::max(st.max_param, number);
  }
  return st;
}

Rows Connection::exec(std::string_view sql, std::span<const Value> params) {
  if (auto it = cache_.find(sql); it != cache_.end()) return run(it->second, params);
  const std::string text = dialect::for_sqlite(sql);
  std::string_view rest;
  Statement st = prepare(text, rest, true);
  if (!blank(rest)) {  // several statements: run them one by one, uncached
    sqlite3_finalize(st.stmt);
    return run_script(text, params);
  }
  if (cache_.size() >= max_cached_statements) clear_cache();
  return run(cache_.emplace(std::string(sql), st).first->second, params);
}

Rows Connection::run(Statement& st, std::span<const Value> params) {
  if (st.stmt == nullptr) return {};  // empty text or only a comment
  if (static_cast<std::size_t>(st.max_param) != params.size())
    throw Error(Error::Kind::other,
                fmt::format("statement takes {} parameters, {} given", st.max_param, params.size()));
  struct Reset {
    sqlite3_stmt* s;
    ~Reset() {
      sqlite3_reset(s);
      sqlite3_clear_bindings(s);
    }
  } reset{st.stmt};
  for (std::size_t i = 0; i < st.param_numbers.size(); ++i) {
    int rc = SQLITE_OK;
    bind(st.stmt, static_cast<int>(i + 1), params[static_cast<std::size_t>(st.param_numbers[i] - 1)], rc);
    if (rc != SQLITE_OK) fail(rc, "bind");
  }
  Rows rows;
  const int columns = sqlite3_column_count(st.stmt);
  for (;;) {
    int rc = sqlite3_step(st.stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) fail(rc, "step");
    std::vector<Value> values;
    values.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) values.push_back(column(st.stmt, c));
    rows.emplace_back(std::move(values));
  }
  return rows;
}

Rows Connection::run_script(std::string_view sql, std::span<const Value> params) {
  if (!params.empty()) throw Error(Error::Kind::other, "parameters are not allowed with several statements");
  Rows rows;
  while (!blank(sql)) {
    std::string_view rest;
    Statement st = prepare(sql, rest, false);
    struct Finalize {
      sqlite3_stmt* s;
      ~Finalize() { sqlite3_finalize(s); }
    } finalize{st.stmt};
    if (st.stmt != nullptr) rows = run(st, params);
    sql = rest;
  }
  return rows;
}

}  // namespace parley::store::sqlite
