// `parley migrate-data` pieces: the table list matches the schema the migrations make (every
// table, every column, the primary keys, parents before children); a copy carries NULL, integer,
// real, text and blob values over exactly, in batches, whatever the key order; the summary tells
// a difference; and the --to values it accepts.
#include "app/data_tables.hpp"
#include "app/migrate_data.hpp"
#include "app/table_copy.hpp"
#include "store/open.hpp"
#include "store/run_sync.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <random>
#include <map>
#include <set>

#include "test_store.hpp"

namespace parley::app {
namespace {

using store::run_sync;
using testing_support::TestStore;

std::vector<std::string> strings(const store::Rows& rows, std::size_t col = 0) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.emplace_back(r.text(col));
  return out;
}

TEST(MigrateDataCatalog, ListsEveryTableColumnAndKeyOfTheSchemaParentsFirst) {
  TestStore s;
  auto& db = *s.db;
  auto tables = strings(run_sync(
      db.read("t", "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")));
  for (const auto& skipped : skipped_tables()) {
    EXPECT_NE(std::find(tables.begin(), tables.end(), skipped), tables.end()) << "no table " << skipped << " to skip";
    std::erase(tables, skipped);
  }
  std::set<std::string> listed;
  std::map<std::string, std::size_t> position;
  for (const auto& t : data_tables()) {
    listed.insert(t.name);
    position[t.name] = position.size();
  }
  EXPECT_EQ(std::set<std::string>(tables.begin(), tables.end()), listed);
  for (const auto& t : data_tables()) {
    SCOPED_TRACE(t.name);
    const auto info = run_sync(db.read("t", "SELECT name, pk FROM pragma_table_info($1) ORDER BY cid", store::params(t.name)));
    EXPECT_EQ(strings(info), t.columns) << "columns (in schema order)";
    std::map<std::int64_t, std::string> key;
    for (const auto& r : info)
      if (r.int64(1) > 0) key[r.int64(1)] = std::string(r.text(0));
    std::vector<std::string> key_columns;
    for (const auto& [n, c] : key) key_columns.push_back(c);
    if (key_columns.empty()) key_columns = {"rowid"};
    EXPECT_EQ(key_columns, t.key) << "primary key";
    for (const auto& parent : strings(run_sync(db.read("t", "SELECT \"table\" FROM pragma_foreign_key_list($1)", store::params(t.name)))))
      EXPECT_LE(position.at(parent), position.at(t.name)) << "references " << parent << ", listed after it";
  }
}

// A table with every kind of value, on both sides.
const TableSpec kMixed{"mixed", {"k1", "k2", "n", "i", "r", "t", "b"}, {"k1", "k2"}};
constexpr std::string_view kMixedSql =
    "CREATE TABLE mixed (k1 TEXT NOT NULL, k2 INTEGER NOT NULL, n TEXT, i INTEGER, r REAL, t TEXT, b BLOB, "
    "PRIMARY KEY (k1, k2))";

void create_mixed(store::Database& db) {
  run_sync(db.write("t", [](store::Tx& tx) { tx.exec(kMixedSql); }));
}

// Fills `from`'s mixed table, copies it into `to` in batches of 5 and checks that every value
// came over exactly and that both sides sum up the same.
void expect_exact_copy(store::Database& from, store::Database& to) {
  const std::vector<double> reals = {0.1, -0.0, 1e-310, std::numeric_limits<double>::max(),
                                     std::numeric_limits<double>::lowest(), 3.141592653589793, -2.5e300};
  const std::vector<std::string> keys = {"a", "B", "b", "_", "-x", "Z", "é", "日本"};
  run_sync(from.write("t", [&](store::Tx& tx) {
    std::int64_t n = 0;
    for (const auto& k : keys)
      for (std::int64_t k2 = -3; k2 < 4; ++k2, ++n) {
        store::Blob blob;
        for (std::int64_t j = 0; j < n % 5; ++j) blob.push_back(static_cast<std::uint8_t>(j * 127));  // zeros too
        tx.exec("INSERT INTO mixed VALUES ($1, $2, $3, $4, $5, $6, $7)",
                {k, k2, store::Value{}, n % 2 ? std::numeric_limits<std::int64_t>::min() + n : std::numeric_limits<std::int64_t>::max() - n,
                 reals[n % reals.size()], std::string("text ") + k + " \xe2\x80\x94 " + std::to_string(n),
                 n % 4 == 3 ? store::Value{} : store::Value{blob}});
      }
  }));
  std::vector<std::int64_t> progress;
  const auto copied = run_sync(copy_table(from, to, kMixed, 5, [&](std::int64_t c) { progress.push_back(c); }));
  EXPECT_EQ(copied, static_cast<std::int64_t>(keys.size() * 7));
  EXPECT_EQ(progress.front(), 5);
  EXPECT_EQ(progress.back(), copied);
  // Sorted here: text keys sort by the database's collation, which differs between backends.
  const auto sorted = [](store::Rows rows) {
    std::sort(rows.begin(), rows.end(), [](const store::Row& x, const store::Row& y) {
      return std::pair(x.text(0), x.int64(1)) < std::pair(y.text(0), y.int64(1));
    });
    return rows;
  };
  const auto select = "SELECT k1, k2, n, i, r, t, b FROM mixed";
  const auto a = sorted(run_sync(from.read("t", select)));
  const auto b = sorted(run_sync(to.read("t", select)));
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].values(), b[i].values()) << "row " << i;
    EXPECT_EQ(std::signbit(a[i].real(4)), std::signbit(b[i].real(4)));
  }
  const auto sa = run_sync(summarize_table(from, kMixed, 4));
  const auto sb = run_sync(summarize_table(to, kMixed, 7));  // another batch size: the same sum
  EXPECT_EQ(sa, sb);
  EXPECT_EQ(sa.rows, copied);
  EXPECT_EQ(sa.read, copied);
  EXPECT_FALSE(run_sync(table_is_empty(to, kMixed)));
}

TEST(MigrateDataCopy, EveryKindOfValueArrivesExactlyInBatches) {
  TestStore from, to;
  create_mixed(*from.db);
  create_mixed(*to.db);
  expect_exact_copy(*from.db, *to.db);
}

// psql on the test server's maintenance database.
bool psql(const std::string& url, const std::string& sql) {
  return std::system(("psql -X -q -v ON_ERROR_STOP=1 -d '" + url + "' -c '" + sql + "' >/dev/null").c_str()) == 0;
}

TEST(MigrateDataCopy, EveryKindOfValueArrivesExactlyOnPostgres) {
  const char* server = std::getenv("PARLEY_TEST_POSTGRES");
  if (!server || !*server) GTEST_SKIP() << "PARLEY_TEST_POSTGRES is not set";
  const std::string server_url = server;
  const std::string name = "u_migrate_data_" + std::to_string(std::random_device{}() % 1000000000u);
  ASSERT_TRUE(psql(server_url, "CREATE DATABASE " + name));
  auto url = server_url.substr(0, server_url.find('?'));
  url = url.substr(0, url.rfind('/')) + "/" + name;
  {
    TestStore from;
    metrics::Registry registry;
    auto pg = store::open_database({url, {}, std::chrono::milliseconds(100), 512}, registry);
    create_mixed(*from.db);
    run_sync(pg->write("t", [](store::Tx& tx) {
      tx.exec("CREATE TABLE mixed (k1 TEXT NOT NULL, k2 BIGINT NOT NULL, n TEXT, i BIGINT, r DOUBLE PRECISION, t TEXT, "
              "b BYTEA, PRIMARY KEY (k1, k2))");
    }));
    expect_exact_copy(*from.db, *pg);
    pg->close();
  }
  psql(server_url, "DROP DATABASE " + name + " WITH (FORCE)");
}

TEST(MigrateDataCopy, TheSummaryTellsAnyDifference) {
  TestStore from;
  create_mixed(*from.db);
  run_sync(from.db->write("t", [](store::Tx& tx) {
    for (std::int64_t i = 0; i < 20; ++i)
      tx.exec("INSERT INTO mixed (k1, k2, i, r, t, b) VALUES ('k', $1, $2, 1.5, 'x', x'00ff')", {i, i * 10});
  }));
  auto previous = run_sync(summarize_table(*from.db, kMixed, 6));
  const auto changed = [&](std::string_view sql) {
    run_sync(from.db->write("t", [&](store::Tx& tx) { tx.exec(sql); }));
    const auto now = run_sync(summarize_table(*from.db, kMixed, 6));
    EXPECT_NE(now, previous) << sql;
    previous = now;
  };
  changed("UPDATE mixed SET r = 1.5000000000000002 WHERE k2 = 3");
  changed("UPDATE mixed SET b = x'00fe' WHERE k2 = 3");
  changed("UPDATE mixed SET b = 7 WHERE k2 = 3");    // an integer where a blob was
  changed("UPDATE mixed SET b = '7' WHERE k2 = 3");  // the same digit as text
  changed("UPDATE mixed SET n = '' WHERE k2 = 3");   // '' is not NULL
  changed("UPDATE mixed SET k1 = 'j' WHERE k2 = 3");  // another key, the same values otherwise
  changed("DELETE FROM mixed WHERE k2 = 19");
  EXPECT_EQ(run_sync(summarize_table(*from.db, kMixed, 6)).rows, 19);
}

TEST(MigrateDataTarget, AcceptsPostgresUrlsSqliteUrlsAndPaths) {
  EXPECT_EQ(parse_data_target("postgres://u:p@db/parley").kind, DataTarget::Kind::postgres);
  EXPECT_EQ(parse_data_target("postgresql://db/parley").url, "postgresql://db/parley");
  EXPECT_EQ(parse_data_target("sqlite:/srv/parley-new").folder, "/srv/parley-new");
  EXPECT_EQ(parse_data_target("sqlite:///srv/parley-new").folder, "/srv/parley-new");
  EXPECT_EQ(parse_data_target("sqlite:relative/dir").folder, "relative/dir");
  EXPECT_EQ(parse_data_target("/srv/x").kind, DataTarget::Kind::sqlite);
  EXPECT_EQ(parse_data_target("/srv/x").folder, "/srv/x");
  EXPECT_THROW(parse_data_target(""), std::invalid_argument);
  EXPECT_THROW(parse_data_target("sqlite:"), std::invalid_argument);
  EXPECT_THROW(parse_data_target("mysql://db/x"), std::invalid_argument);
}

}  // namespace
}  // namespace parley::app
