// Migrations on a real SQLite file: status, up, down, up again; partial runs; failures.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "core/metrics.hpp"
#include "store/migrations.hpp"
#include "store/run_sync.hpp"
#include "store/sqlite.hpp"

#include "temp_dir.hpp"

namespace parley::store {
namespace {

namespace fs = std::filesystem;

using testing_support::TempDir;

Migration sqlite_migration(int version, std::string name, std::string up, std::string down) {
  return Migration{version, std::move(name), MigrationSql{std::move(up), std::move(down)}, std::nullopt};
}

class Migrations : public ::testing::Test {
 protected:
  bool has_table(const std::string& name) {
    return !run_sync(db->read("t", "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $1", {name})).empty();
  }
  TempDir dir;
  metrics::Registry registry;
  std::unique_ptr<Database> db = open_sqlite(SqliteOptions{.data_dir = dir.path}, registry);
};

TEST_F(Migrations, BuiltinListStartsWithCore) {
  const auto& all = builtin_migrations();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all[0].version, 1);
  EXPECT_EQ(all[0].name, "core");
  ASSERT_NE(all[0].sql_for("sqlite"), nullptr);
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].version, all[i].version);
}

TEST_F(Migrations, CoreUpDownUpRoundTrips) {
  Migrator m(*db);
  auto before = m.status();
  ASSERT_EQ(before.size(), builtin_migrations().size());
  EXPECT_FALSE(before[0].applied);
  EXPECT_TRUE(before[0].applied_at.empty());

  EXPECT_EQ(m.up(), static_cast<int>(builtin_migrations().size()));
  EXPECT_EQ(m.up(), 0);
  auto after = m.status();
  EXPECT_TRUE(after[0].applied);
  EXPECT_FALSE(after[0].applied_at.empty());
  EXPECT_TRUE(has_table("kv"));
  run_sync(db->write("kv_set", [](Tx& tx) {
    tx.exec("INSERT INTO kv (key, value, updated_at) VALUES ($1, $2, $3)", {"instance_id", "abc", "2026-01-01T00:00:00.000Z"});
  }));

  EXPECT_EQ(m.down(static_cast<int>(builtin_migrations().size())), static_cast<int>(builtin_migrations().size()));
  EXPECT_FALSE(has_table("kv"));
  EXPECT_FALSE(m.status()[0].applied);
  EXPECT_EQ(m.down(), 0);

  EXPECT_EQ(m.up(), static_cast<int>(builtin_migrations().size()));
  EXPECT_TRUE(has_table("kv"));
}

TEST_F(Migrations, StepsApplyAndRollBackInOrder) {
  Migrator m(*db, {sqlite_migration(3, "c", "CREATE TABLE c (x INTEGER);", "DROP TABLE c;"),
                   sqlite_migration(1, "a", "CREATE TABLE a (x INTEGER);", "DROP TABLE a;"),
                   sqlite_migration(2, "b", "CREATE TABLE b (x INTEGER); CREATE INDEX b_x ON b (x);",
                                    "DROP INDEX b_x; DROP TABLE b;")});
  EXPECT_EQ(m.up(2), 2);
  EXPECT_TRUE(has_table("a"));
  EXPECT_TRUE(has_table("b"));
  EXPECT_FALSE(has_table("c"));
  EXPECT_EQ(m.up(), 1);
  EXPECT_TRUE(has_table("c"));

  EXPECT_EQ(m.down(2), 2);
  auto s = m.status();
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].version, 1);
  EXPECT_TRUE(s[0].applied);
  EXPECT_FALSE(s[1].applied);
  EXPECT_FALSE(s[2].applied);
  EXPECT_TRUE(has_table("a"));
  EXPECT_FALSE(has_table("b"));
  EXPECT_FALSE(has_table("c"));
}

TEST_F(Migrations, FailingMigrationLeavesNothingBehind) {
  Migrator m(*db, {sqlite_migration(1, "ok", "CREATE TABLE ok (x INTEGER);", "DROP TABLE ok;"),
                   sqlite_migration(2, "broken", "CREATE TABLE half (x INTEGER); CREATE TABLE broken (;",
                                    "DROP TABLE half;")});
  EXPECT_THROW(m.up(), Error);
  EXPECT_TRUE(has_table("ok"));
  EXPECT_FALSE(has_table("half"));
  auto s = m.status();
  EXPECT_TRUE(s[0].applied);
  EXPECT_FALSE(s[1].applied);
}

TEST_F(Migrations, RefusesADatabaseNewerThanTheBinary) {
  Migrator m(*db, {sqlite_migration(1, "a", "CREATE TABLE a (x INTEGER);", "DROP TABLE a;")});
  m.up();
  run_sync(db->write("fake", [](Tx& tx) {
    tx.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9, 'future', 'x')");
  }));
  auto s = m.status();
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[1].name, "future");
  EXPECT_TRUE(s[1].applied);
  EXPECT_THROW(m.up(), Error);
  EXPECT_THROW(m.down(), Error);
}

}  // namespace
}  // namespace parley::store
