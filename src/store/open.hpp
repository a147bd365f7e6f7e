#pragma once
// Opening the store the configuration names: the embedded SQLite database in the data folder when
// --database is empty (or sqlite:), PostgreSQL for a postgres:// or postgresql:// URL.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "store/database.hpp"

namespace parley::metrics {
class Registry;
}

namespace parley::store {

struct StoreOptions {
  std::string database;  // "" = SQLite in data_dir
  std::filesystem::path data_dir;
  std::chrono::milliseconds slow_threshold{100};
  std::size_t max_batch = 512;
};

bool is_postgres_url(std::string_view database);
std::unique_ptr<Database> open_database(const StoreOptions& options, metrics::Registry& registry);

}  // namespace parley::store
