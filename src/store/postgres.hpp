#pragma once
// Opening the PostgreSQL backend (many nodes share one database). Nothing libpq-specific leaks out.
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.hpp"

namespace parley::metrics {
class Registry;
}

namespace parley::store {

struct PostgresOptions {
  std::string url;                                 // postgres://user:pass@host:port/db?param=value
  std::chrono::milliseconds slow_threshold{100};
  std::size_t max_batch = 512;                     // max writes in one group commit
  std::chrono::milliseconds statement_timeout{30'000};
};

// Connects the writer (so a bad URL or an unreachable server fails here, with Error(unavailable)
// or Error(other)) and returns the database; readers connect on each I/O thread's first read.
std::unique_ptr<Database> open_postgres(const PostgresOptions& options, metrics::Registry& registry);

// Null when libpq accepts `url`, else why not.
std::optional<std::string> postgres_url_error(std::string_view url);

}  // namespace parley::store
