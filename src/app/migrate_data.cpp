// `parley migrate-data --to URL` (see migrate_data.hpp): source brought to this binary's schema
// (as `parley serve` would), target schema made by the migrations, every table of data_tables()
// copied parents first, then both sides summed up (rows and checksum) and compared.
#include "app/migrate_data.hpp"

#include "app/data_tables.hpp"
#include "app/table_copy.hpp"
#include "auth/signing_key_store.hpp"
#include "core/metrics.hpp"
#include "store/data_lock.hpp"
#include "store/migrations.hpp"
#include "store/run_sync.hpp"
#include "store/open.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <stdexcept>

namespace parley::app {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kBatch = 1000;              // rows per read and per write transaction
constexpr std::int64_t kProgressEvery = 50'000;   // a progress line for big tables

struct Failure : std::runtime_error {
  int code;
  Failure(int c, const std::string& m) : std::runtime_error(m), code(c) {}
};

// Closes a store on every way out.
struct Closing {
  std::unique_ptr<store::Database> db;
  ~Closing() {
    if (db) db->close();
  }
};

std::string describe(const DataTarget& t) {
  return t.kind == DataTarget::Kind::sqlite ? "sqlite:" + t.folder.string() : mask_url_password(t.url);
}

// The target, opened; for a data folder, under its lock (no server may use it meanwhile).
std::unique_ptr<store::Database> open_target(const DataTarget& target, const Config& config, metrics::Registry& registry,
                                             std::optional<store::DataLock>& lock) {
  if (target.kind == DataTarget::Kind::postgres)
    return store::open_database({target.url, {}, config.slow_store, 512}, registry);
  try {
    lock.emplace(target.folder);
  } catch (const store::DataLockError& e) {
    throw Failure(1, std::string("the target folder is in use: ") + e.what());
  }
  return store::open_database({"", target.folder, config.slow_store, 512}, registry);
}

// Makes the target's schema (all migrations) unless it has it already; refuses one that holds
// anything, or an older or newer Parley schema.
void prepare_target(store::Database& db) {
  store::Migrator migrator(db);
  const auto status = migrator.status();
  std::size_t applied = 0;
  for (const auto& s : status) {
    if (s.applied) ++applied;
    const auto& known = store::builtin_migrations();
    if (s.applied && std::none_of(known.begin(), known.end(), [&](const store::Migration& m) { return m.version == s.version; }))
      throw Failure(2, fmt::format("the target has migration {:04} {}, which this binary does not know: give an empty "
                                   "database",
                                   s.version, s.name));
  }
  if (applied > 0 && applied < status.size())
    throw Failure(2, fmt::format("the target has an older Parley schema ({} of {} migrations applied): give an empty "
                                 "database",
                                 applied, status.size()));
  if (applied == 0) {
    const int n = migrator.up();
    fmt::print(stderr, "target schema: {} migration(s) applied\n", n);
  }
  for (const auto& t : data_tables())
    if (!store::run_sync(table_is_empty(db, t)))
      throw Failure(2, fmt::format("the target is not empty (table {} has rows): migrate-data copies into an empty "
                                   "database only",
                                   t.name));
}

void copy_all(store::Database& from, store::Database& to) {
  for (const auto& t : data_tables()) {
    std::int64_t next_report = kProgressEvery;
    const auto progress = [&](std::int64_t copied) {
      if (copied < next_report) return;
      fmt::print(stderr, "{}: {} rows…\n", t.name, copied);
      next_report = copied + kProgressEvery;
    };
    const auto copied = store::run_sync(copy_table(from, to, t, kBatch, progress));
    fmt::print(stderr, "{}: {} rows copied\n", t.name, copied);
  }
}

// Both sides summed up the same way; false (and why, on stderr) when any table differs.
bool verify_all(store::Database& from, store::Database& to, std::int64_t& total_rows) {
  bool same = true;
  for (const auto& t : data_tables()) {
    const auto a = store::run_sync(summarize_table(from, t, kBatch));
    const auto b = store::run_sync(summarize_table(to, t, kBatch));
    if (a == b && a.read == a.rows) {
      fmt::print(stderr, "verified {}: {} rows, checksum {}\n", t.name, a.rows, a.checksum);
      total_rows += a.rows;
      continue;
    }
    same = false;
    fmt::print(stderr, "MISMATCH in {}: source {} rows ({} read back, checksum {}), target {} rows ({} read back, checksum {})\n",
               t.name, a.rows, a.read, a.checksum, b.rows, b.read, b.checksum);
  }
  return same;
}

}  // namespace

DataTarget parse_data_target(const std::string& to) {
  DataTarget t;
  if (to.empty()) throw std::invalid_argument("--to is empty");
  if (to.starts_with("postgres://") || to.starts_with("postgresql://")) {
    t.kind = DataTarget::Kind::postgres;
    t.url = to;
    return t;
  }
  std::string path = to;
  if (path.starts_with("sqlite:")) {
    path = path.substr(7);
    if (path.starts_with("//")) path = path.substr(2);  // sqlite:///abs -> /abs
  } else if (path.find("://") != std::string::npos) {
    throw std::invalid_argument("--to " + to.substr(0, to.find("://")) +
                                "://…: expected postgres://…, sqlite:/path/folder or a folder path");
  }
  if (path.empty()) throw std::invalid_argument("--to sqlite: needs a folder path");
  t.folder = path;
  return t;
}

int migrate_data(const Config& config, const std::string& to) {
  const auto started = std::chrono::steady_clock::now();
  try {
    DataTarget target;
    try {
      target = parse_data_target(to);
    } catch (const std::invalid_argument& e) {
      throw Failure(2, e.what());
    }
    if (!config.database.empty())
      throw Failure(2, "the source is the embedded store of --data; --database (PARLEY_DATABASE) must not name "
                       "another database (unset it, or give sqlite:)");
    std::error_code ec;
    if (target.kind == DataTarget::Kind::sqlite && fs::exists(target.folder) &&
        fs::equivalent(target.folder, config.data_dir, ec))
      throw Failure(2, "--to is the data folder itself: give another folder");
    if (!fs::exists(config.data_dir / "parley.db"))
      throw Failure(1, fmt::format("no database at {}", (config.data_dir / "parley.db").string()));
    // No server may write the source meanwhile: the copy is then consistent.
    std::optional<store::DataLock> source_lock;
    try {
      source_lock.emplace(config.data_dir);
    } catch (const store::DataLockError& e) {
      throw Failure(1, std::string("stop the server first: ") + e.what());
    }
    metrics::Registry registry;
    Closing source{store::open_database({"", config.data_dir, config.slow_store, 512}, registry)};
    fmt::print(stderr, "migrate-data: from {} to {}\n", config.data_dir.string(), describe(target));
    // The source as `parley serve` would leave it: this binary's schema, and its signing keys in
    // the database (an older version's DATA/keys/*.json imported), so that they move too.
    const int applied = store::Migrator(*source.db).up();
    if (applied > 0) fmt::print(stderr, "source schema: {} migration(s) applied\n", applied);
    store::run_sync(auth::ensure_signing_keys(*source.db, config.data_dir / "keys"));

    std::optional<store::DataLock> target_lock;
    Closing dest{open_target(target, config, registry, target_lock)};
    prepare_target(*dest.db);
    copy_all(*source.db, *dest.db);
    std::int64_t rows = 0;
    if (!verify_all(*source.db, *dest.db, rows))
      throw Failure(1, "the copy differs from the source (see above): do not use the target; empty it and run again");
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    fmt::print("done: {} tables, {} rows copied from {} to {} and verified ({:.1f} s)\n", data_tables().size(), rows,
               config.data_dir.string(), describe(target), seconds);
    return 0;
  } catch (const Failure& e) {
    fmt::print(stderr, "parley: migrate-data: {}\n", e.what());
    return e.code;
  } catch (const std::exception& e) {
    fmt::print(stderr, "parley: migrate-data failed: {}\n", e.what());
    return 1;
  }
}

}  // namespace parley::app
