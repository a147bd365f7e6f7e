#include "store/open.hpp"

#include "store/postgres.hpp"
#include "store/sqlite.hpp"

namespace parley::store {

bool is_postgres_url(std::string_view database) {
  return database.starts_with("postgres://") || database.starts_with("postgresql://");
}

std::unique_ptr<Database> open_database(const StoreOptions& options, metrics::Registry& registry) {
  if (is_postgres_url(options.database))
    return open_postgres({.url = options.database, .slow_threshold = options.slow_threshold, .max_batch = options.max_batch}, registry);
  return open_sqlite({options.data_dir, options.slow_threshold, options.max_batch}, registry);
}

}  // namespace parley::store
