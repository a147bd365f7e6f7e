#pragma once
// Opening the embedded SQLite backend. Nothing SQLite-specific leaks out of this header.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>

#include "store/database.hpp"

namespace parley::metrics {
class Registry;
}

namespace parley::store {

struct SqliteOptions {
  std::filesystem::path data_dir;                 // the database is data_dir / "parley.db"
  std::chrono::milliseconds slow_threshold{100};  // slower store calls are logged (op, duration_ms)
  std::size_t max_batch = 512;                    // max writes in one group commit
};

// Creates data_dir if missing, opens (or creates) the database and starts the writer thread.
// Throws store::Error (kind io) when the file cannot be opened.
std::unique_ptr<Database> open_sqlite(const SqliteOptions& options, metrics::Registry& registry);

}  // namespace parley::store
