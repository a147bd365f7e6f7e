#pragma once
// One SQLite connection with a prepared-statement cache. Used by one thread at a time (the
// library runs in multi-thread mode: connections are not shared concurrently).
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/error.hpp"
#include "store/value.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace parley::store::sqlite {

class Connection {
 public:
  enum class Mode {
    writer,  // read-write, creates the file, WAL, synchronous=FULL
    reader,  // read-only, query_only
  };

  Connection(const std::filesystem::path& file, Mode mode);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs `sql` with $1, $2, ... (or ?, ?NNN) bound from `params`, returns all rows.
  Rows exec(std::string_view sql, std::span<const Value> params = {});
  std::int64_t changes() const;
  bool in_transaction() const;

 private:
  struct Statement {
    sqlite3_stmt* stmt = nullptr;
    std::vector<int> param_numbers;  // per SQLite index (0-based): which $N it binds
    int max_param = 0;
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  // Prepares the first statement of `sql`; `rest` gets what follows it.
  Statement prepare(std::string_view sql, std::string_view& rest, bool persistent);
  Rows run(Statement& st, std::span<const Value> params);
  Rows run_script(std::string_view sql, std::span<const Value> params);
  void clear_cache();
  [[noreturn]] void fail(int rc, std::string_view what) const;

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, Statement, Hash, std::equal_to<>> cache_;
};

// Maps a SQLite (extended) result code to the backend-neutral kind.
Error::Kind error_kind(int extended_code);

}  // namespace parley::store::sqlite
