#pragma once
// A migrated SQLite store in a fresh folder for one test, closed and removed afterwards.
#include <memory>

#include "core/metrics.hpp"
#include "store/migrations.hpp"
#include "store/sqlite.hpp"
#include "temp_dir.hpp"

namespace parley::testing_support {

struct TestStore {
  TempDir dir;
  metrics::Registry registry;
  std::unique_ptr<store::Database> db;
  TestStore() {
    db = store::open_sqlite(store::SqliteOptions{.data_dir = dir.path}, registry);
    store::Migrator(*db).up();
  }
  ~TestStore() { db->close(); }
  TestStore(const TestStore&) = delete;
  TestStore& operator=(const TestStore&) = delete;
};

}  // namespace parley::testing_support
