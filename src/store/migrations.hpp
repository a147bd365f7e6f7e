#pragma once
// Versioned schema migrations with rollback. The SQL lives in migrations/<backend>/*.sql (see
// migrations/README.md); the Migrator applies it through the Database interface only.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.hpp"

namespace parley::store {

struct MigrationSql {
  std::string up;
  std::string down;
};

struct Migration {
  int version = 0;
  std::string name;
  std::optional<MigrationSql> sqlite;
  std::optional<MigrationSql> postgres;

  // The SQL for a backend ("sqlite", "postgres"), or null when the migration has none.
  const MigrationSql* sql_for(std::string_view backend) const;
};

// Every migration built into the binary, ordered by version. Throws std::logic_error when the
// embedded files are inconsistent (an up without its down, two names for one version).
const std::vector<Migration>& builtin_migrations();

struct MigrationStatus {
  int version = 0;
  std::string name;
  bool applied = false;
  std::string applied_at;  // RFC 3339, empty when not applied
};

// Usable from a plain main(): the synchronous calls run their own io_context (run_sync), so they
// must not be called from an I/O thread; coroutines use the *_async forms.
class Migrator {
 public:
  explicit Migrator(Database& db, std::vector<Migration> migrations = builtin_migrations());

  // Known migrations plus any applied version this binary does not know, by version.
  std::vector<MigrationStatus> status();
  // Applies pending migrations, oldest first (at most `steps`), each in its own transaction.
  // Returns how many were applied.
  int up(std::optional<int> steps = {});
  // Rolls back the `steps` newest applied migrations, newest first. Returns how many.
  int down(int steps = 1);

  asio::awaitable<std::vector<MigrationStatus>> status_async();
  asio::awaitable<int> up_async(std::optional<int> steps = {});
  asio::awaitable<int> down_async(int steps = 1);

 private:
  asio::awaitable<void> ensure_table();
  const MigrationSql& sql(const Migration& m) const;

  Database& db_;
  std::vector<Migration> migrations_;
};

namespace detail {
// One embedded file: backend, "<NNNN>_<name>", "up" or "down", its SQL (generated source).
struct MigrationFile {
  std::string_view backend, stem, direction, sql;
};
const std::vector<MigrationFile>& migration_files();
}  // namespace detail

}  // namespace parley::store
