#include <algorithm>
#include <map>

#include "core/clock.hpp"
#include "store/migrations.hpp"
#include "store/run_sync.hpp"

namespace parley::store {
namespace {

// Nodes starting together migrate one at a time (see Tx::lock).
constexpr std::int64_t kMigrationLock = 0x70617273'6c657931;  // "parsley1"

struct Applied {
  std::string name, applied_at;
};

asio::awaitable<std::map<int, Applied>> applied(Database& db) {
  Rows rows = co_await db.read("migrate_status", "SELECT version, name, applied_at FROM schema_migrations");
  std::map<int, Applied> out;
  for (const Row& r : rows)
    out[static_cast<int>(r.int64(0))] = Applied{std::string(r.text(1)), std::string(r.text(2))};
  co_return out;
}

}  // namespace

Migrator::Migrator(Database& db, std::vector<Migration> migrations) : db_(db), migrations_(std::move(migrations)) {
  std::sort(migrations_.begin(), migrations_.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
}

const MigrationSql& Migrator::sql(const Migration& m) const {
  if (const MigrationSql* s = m.sql_for(db_.backend())) return *s;
  throw Error(Error::Kind::other, "migration " + std::to_string(m.version) + "_" + m.name + " has no " +
                                      std::string(db_.backend()) + " SQL");
}

asio::awaitable<void> Migrator::ensure_table() {
  co_await db_.write("migrate_init", [](Tx& tx) {
    tx.lock(kMigrationLock);
    tx.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  });
}

asio::awaitable<std::vector<MigrationStatus>> Migrator::status_async() {
  co_await ensure_table();
  std::map<int, Applied> done = co_await applied(db_);
  std::map<int, MigrationStatus> all;
  for (const Migration& m : migrations_) all[m.version] = MigrationStatus{m.version, m.name, false, ""};
  for (const auto& [version, a] : done) all[version] = MigrationStatus{version, a.name, true, a.applied_at};
  std::vector<MigrationStatus> out;
  for (auto& [version, s] : all) out.push_back(std::move(s));
  co_return out;
}

asio::awaitable<int> Migrator::up_async(std::optional<int> steps) {
  co_await ensure_table();
  std::map<int, Applied> done = co_await applied(db_);
  for (const auto& [version, a] : done)
    if (std::none_of(migrations_.begin(), migrations_.end(), [v = version](const Migration& m) { return m.version == v; }))
      throw Error(Error::Kind::other, "the database has migration " + std::to_string(version) + "_" + a.name +
                                          ", which this binary does not know; refusing to migrate");
  int count = 0;
  for (const Migration& m : migrations_) {
    if (steps && count >= *steps) break;
    if (done.contains(m.version)) continue;
    const MigrationSql& s = sql(m);
    bool applied_now = co_await db_.write("migrate_up", [&](Tx& tx) {
      // Checked again inside the transaction, in case another migrator got here first.
      tx.lock(kMigrationLock);
      if (!tx.exec("SELECT 1 FROM schema_migrations WHERE version = $1", {std::int64_t{m.version}}).empty())
        return false;
      tx.exec(s.up);
      tx.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
              {std::int64_t{m.version}, m.name, clock::format_rfc3339(clock::now())});
      return true;
    });
    if (applied_now) ++count;
  }
  co_return count;
}

asio::awaitable<int> Migrator::down_async(int steps) {
  co_await ensure_table();
  std::map<int, Applied> done = co_await applied(db_);
  int count = 0;
  for (auto it = done.rbegin(); it != done.rend() && count < steps; ++it) {
    auto m = std::find_if(migrations_.begin(), migrations_.end(),
                          [v = it->first](const Migration& x) { return x.version == v; });
    if (m == migrations_.end())
      throw Error(Error::Kind::other, "cannot roll back migration " + std::to_string(it->first) + "_" +
                                          it->second.name + ": this binary does not know it");
    const MigrationSql& s = sql(*m);
    co_await db_.write("migrate_down", [&](Tx& tx) {
      tx.lock(kMigrationLock);
      tx.exec(s.down);
      tx.exec("DELETE FROM schema_migrations WHERE version = $1", {std::int64_t{m->version}});
    });
    ++count;
  }
  co_return count;
}

std::vector<MigrationStatus> Migrator::status() { return run_sync(status_async()); }
int Migrator::up(std::optional<int> steps) { return run_sync(up_async(steps)); }
int Migrator::down(int steps) { return run_sync(down_async(steps)); }

}  // namespace parley::store
