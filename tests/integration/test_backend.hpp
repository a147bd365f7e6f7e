#pragma once
// Which store the integration suite runs on. ctest registers every test twice: as is (the embedded
// SQLite store in each server's data folder) and with the prefix "pg." and PARLEY_TEST_BACKEND=
// postgres, where each data folder gets its own database in the PostgreSQL server that
// scripts/test.sh starts (its URL in PARLEY_TEST_POSTGRES). The database follows the folder: a test
// that restarts a server on the same folder, or runs `parley user …` against it, meets the same
// data, as it would on SQLite.
#include <filesystem>
#include <optional>
#include <string>

#include "child_process.hpp"
#include "run_command.hpp"

namespace parley::it {

// True when this run is the PostgreSQL one.
bool on_postgres();
// The PostgreSQL server's URL (PARLEY_TEST_POSTGRES), or nullopt when none was given.
std::optional<std::string> postgres_server_url();
// The database URL for `data_dir` on this run's backend: "" on SQLite; on PostgreSQL, a database
// named after the folder, created when missing.
std::string database_for(const std::filesystem::path& data_dir);
// A fresh, empty database on the test PostgreSQL server (for tests of their own); its URL.
std::string create_database(const std::string& name_hint);
void drop_database_of(const std::string& url);
// PARLEY_DATABASE for a parley process given `args` (its --data): added to `env` on the
// PostgreSQL run, unless the args or the env already name a database.
void add_backend_env(const std::vector<std::string>& args, Env& env);
// Runs `sql` on the store of `data_dir` behind the server's back (sqlite3 on SQLite, psql on
// PostgreSQL), as an operator or an older version might; rows come out one per line, columns
// separated by '|'.
CommandResult store_sql(const std::filesystem::path& data_dir, const std::string& sql);

}  // namespace parley::it
