#include "app/command_store.hpp"

#include "store/migrations.hpp"
#include "store/run_sync.hpp"
#include "store/open.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <stdexcept>

namespace parley::app {

std::unique_ptr<store::Database> open_command_store(const Config& config, metrics::Registry& registry) {
  const auto file = config.data_dir / "parley.db";
  if (!store::is_postgres_url(config.database) && !std::filesystem::exists(file))
    throw std::runtime_error(fmt::format("no database at {}: start the server once or run `parley migrate up --data {}`",
                                         file.string(), config.data_dir.string()));
  auto db = store::open_database({config.database, config.data_dir, config.slow_store, 64}, registry);
  const auto status = store::run_sync(store::Migrator(*db).status_async());
  for (const auto& s : status)
    if (!s.applied) {
      db->close();
      throw std::runtime_error(fmt::format("the schema is not up to date (migration {:04} {} pending): run "
                                           "`parley migrate up` or restart the server",
                                           s.version, s.name));
    }
  return db;
}

}  // namespace parley::app
