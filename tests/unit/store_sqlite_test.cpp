// The SQLite store against a real file in a throw-away folder: reads, group-commit writes,
// savepoint isolation, error mapping, executor affinity, cross-thread visibility.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <filesystem>
#include <future>
#include <thread>

#include "core/metrics.hpp"
#include "store/run_sync.hpp"
#include "store/sqlite.hpp"

#include "temp_dir.hpp"

namespace parley::store {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

using testing_support::TempDir;

// An io_context running on its own thread until stopped.
struct IoThread {
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> guard = asio::make_work_guard(io);
  std::thread thread{[this] { io.run(); }};
  ~IoThread() {
    guard.reset();
    thread.join();
  }
};

class SqliteStore : public ::testing::Test {
 protected:
  void SetUp() override {
    db = open_sqlite(SqliteOptions{.data_dir = dir.path}, registry);
    run_sync(db->write("create", [](Tx& tx) {
      tx.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, score REAL, data BLOB)");
    }));
  }
  void TearDown() override { db->close(); }

  std::uint64_t batches() {
    return registry.histogram("parley_store_group_commit_batch_size", "").with(std::vector<std::string>{}).snapshot().count;
  }
  std::int64_t count_rows() { return run_sync(db->read("count", "SELECT count(*) FROM t"))[0].int64(0); }

  TempDir dir;
  metrics::Registry registry;
  std::unique_ptr<Database> db;
};

TEST_F(SqliteStore, WriteThenReadRoundTripsEveryType) {
  std::int64_t changed = run_sync(db->write("insert", [](Tx& tx) {
    tx.exec("INSERT INTO t (id, name, score, data) VALUES ($1, $2, $3, $4)",
            {std::int64_t{7}, "seven", 7.5, Blob{0, 1, 255}});
    return tx.changes();
  }));
  EXPECT_EQ(changed, 1);
  run_sync(db->write("insert_null", [](Tx& tx) { tx.exec("INSERT INTO t (id) VALUES ($1)", {std::int64_t{8}}); }));

  Rows rows = run_sync(db->read("get", "SELECT id, name, score, data FROM t WHERE id = $1", {std::int64_t{7}}));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].size(), 4u);
  EXPECT_EQ(rows[0].int64(0), 7);
  EXPECT_EQ(rows[0].text(1), "seven");
  EXPECT_DOUBLE_EQ(rows[0].real(2), 7.5);
  auto blob = rows[0].blob(3);
  EXPECT_EQ(Blob(blob.begin(), blob.end()), (Blob{0, 1, 255}));

  Rows nulls = run_sync(db->read("get", "SELECT name, score FROM t WHERE id = $1", {std::int64_t{8}}));
  EXPECT_TRUE(nulls[0].is_null(0));
  EXPECT_EQ(nulls[0].opt_text(0), std::nullopt);
  EXPECT_THROW(nulls[0].text(0), Error);
}

TEST_F(SqliteStore, DollarParametersBindByNumberNotByFirstAppearance) {
  Rows rows = run_sync(db->read("params", "SELECT $2, $1, $2", {std::int64_t{1}, "two"}));
  EXPECT_EQ(rows[0].text(0), "two");
  EXPECT_EQ(rows[0].int64(1), 1);
  EXPECT_EQ(rows[0].text(2), "two");
  EXPECT_THROW(run_sync(db->read("params", "SELECT $1, $2", {std::int64_t{1}})), Error);
}

TEST_F(SqliteStore, UniqueViolationIsTypedAndCounted) {
  auto insert = [&] {
    return db->write("insert_name", [](Tx& tx) { tx.exec("INSERT INTO t (name) VALUES ($1)", {"dup"}); });
  };
  run_sync(insert());
  try {
    run_sync(insert());
    FAIL() << "expected a unique violation";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), Error::Kind::unique_violation) << e.what();
  }
  EXPECT_EQ(registry.counter("parley_store_errors_total", "", {"op"}).with({"insert_name"}).value(), 1.0);
  EXPECT_EQ(count_rows(), 1);
}

TEST_F(SqliteStore, ConcurrentWritesFromTwoThreadsAreGroupCommitted) {
  constexpr int per_thread = 100;
  const std::uint64_t batches_before = batches();
  std::atomic<int> queued{0}, ok{0};
  IoThread a, b;
  // The first write holds the writer until every other write is queued behind it.
  std::promise<void> gate_done;
  asio::co_spawn(a.io, db->write("gate", [&](Tx&) {
    while (queued.load() < 2 * per_thread) std::this_thread::yield();
    std::this_thread::sleep_for(20ms);
  }), [&](std::exception_ptr) { gate_done.set_value(); });
  auto one = [&](int i) -> asio::awaitable<void> {
    ++queued;
    std::int64_t doubled = co_await db->write("insert", [i](Tx& tx) {
      tx.exec("INSERT INTO t (id, name) VALUES ($1, $2)", {std::int64_t{i}, "n" + std::to_string(i)});
      return std::int64_t{i} * 2;
    });
    if (doubled == i * 2) ++ok;
  };
  for (int i = 0; i < per_thread; ++i) {
    asio::co_spawn(a.io, one(i), asio::detached);
    asio::co_spawn(b.io, one(per_thread + i), asio::detached);
  }
  gate_done.get_future().wait();
  for (int spins = 0; ok.load() < 2 * per_thread && spins < 1000; ++spins) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(ok.load(), 2 * per_thread);
  EXPECT_EQ(count_rows(), 2 * per_thread);
  const std::uint64_t used = batches() - batches_before;
  EXPECT_LT(used, 10u) << "201 writes took " << used << " commits";
}

TEST_F(SqliteStore, ThrowingWriteRollsBackOnlyItself) {
  const std::uint64_t batches_before = batches();
  std::atomic<int> queued{0};
  IoThread io;
  std::promise<void> gate_done;
  asio::co_spawn(io.io, db->write("gate", [&](Tx&) {
    while (queued.load() < 3) std::this_thread::yield();
    std::this_thread::sleep_for(20ms);
  }), [&](std::exception_ptr) { gate_done.set_value(); });
  std::promise<std::string> first, bad, last;
  auto insert = [&](std::int64_t id, bool fail, std::promise<std::string>& out) -> asio::awaitable<void> {
    ++queued;
    try {
      co_await db->write("maybe", [=](Tx& tx) {
        tx.exec("INSERT INTO t (id) VALUES ($1)", {id});
        if (fail) throw std::runtime_error("boom");
      });
      out.set_value("ok");
    } catch (const std::runtime_error& e) {
      out.set_value(e.what());
    }
  };
  asio::co_spawn(io.io, insert(1, false, first), asio::detached);
  asio::co_spawn(io.io, insert(2, true, bad), asio::detached);
  asio::co_spawn(io.io, insert(3, false, last), asio::detached);
  EXPECT_EQ(first.get_future().get(), "ok");
  EXPECT_EQ(bad.get_future().get(), "boom");
  EXPECT_EQ(last.get_future().get(), "ok");
  gate_done.get_future().wait();
  Rows ids = run_sync(db->read("ids", "SELECT id FROM t ORDER BY id"));
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids[0].int64(0), 1);
  EXPECT_EQ(ids[1].int64(0), 3);
  EXPECT_LE(batches() - batches_before, 2u);  // the gate's batch, then all three together
}

TEST_F(SqliteStore, WriteResumesOnTheAwaitingExecutorAndOtherThreadsSeeIt) {
  IoThread a, b;
  // b opens its read connection (and snapshot cache) before the write happens.
  std::promise<std::int64_t> before;
  asio::co_spawn(b.io, db->read("count", "SELECT count(*) FROM t"),
                 [&](std::exception_ptr, Rows r) { before.set_value(r[0].int64(0)); });
  EXPECT_EQ(before.get_future().get(), 0);

  std::promise<bool> same_thread;
  auto writer = [&]() -> asio::awaitable<void> {
    auto id = std::this_thread::get_id();
    co_await db->write("insert", [](Tx& tx) { tx.exec("INSERT INTO t (id) VALUES (1)"); });
    same_thread.set_value(std::this_thread::get_id() == id && a.io.get_executor().running_in_this_thread());
  };
  asio::co_spawn(a.io, writer(), asio::detached);
  EXPECT_TRUE(same_thread.get_future().get());

  std::promise<std::int64_t> after;
  asio::co_spawn(b.io, db->read("count", "SELECT count(*) FROM t"),
                 [&](std::exception_ptr, Rows r) { after.set_value(r[0].int64(0)); });
  EXPECT_EQ(after.get_future().get(), 1);
}

TEST_F(SqliteStore, ScriptsRunEveryStatementAndReadsAreReadOnly) {
  run_sync(db->write("script", [](Tx& tx) {
    tx.exec("CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (1); INSERT INTO a VALUES (2);");
  }));
  EXPECT_EQ(run_sync(db->read("sum", "SELECT sum(x) FROM a"))[0].int64(0), 3);
  EXPECT_THROW(run_sync(db->read("bad", "INSERT INTO a VALUES (3)")), Error);
}

TEST_F(SqliteStore, CoroutineCallersPassValuesSafely) {
  // The patterns database.hpp recommends under GCC 12 (run this under ASan): capture by
  // reference, or name a by-copy lambda before the co_await; read parameters one by one.
  auto owner = std::make_shared<int>(5);
  auto nested = [&]() -> asio::awaitable<std::string> {
    std::string name(100, 'x');
    co_await db->write("owned", [&](Tx& tx) {
      tx.exec("INSERT INTO t (id, name) VALUES ($1, $2)", {std::int64_t{*owner}, name});
    });
    auto by_copy = [name, owner](Tx& tx) { tx.exec("UPDATE t SET score = $1 WHERE name = $2", {1.5, name}); };
    co_await db->write("owned", std::move(by_copy));
    Rows rows = co_await db->read("owned", "SELECT name, score FROM t WHERE id = $1 AND name = $2",
                                  std::int64_t{*owner}, std::string(100, 'x'));
    co_return std::string(rows.at(0).text(0)) + std::to_string(rows.at(0).real(1));
  };
  EXPECT_EQ(run_sync(nested()), std::string(100, 'x') + "1.500000");
  EXPECT_EQ(owner.use_count(), 1);
}

TEST_F(SqliteStore, ClosedStoreRefusesAndPingSaysSo) {
  EXPECT_TRUE(run_sync(db->ping()));
  EXPECT_EQ(db->backend(), "sqlite");
  db->close();
  db->close();
  EXPECT_FALSE(run_sync(db->ping()));
  try {
    run_sync(db->write("late", [](Tx&) {}));
    FAIL() << "expected Error(closed)";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), Error::Kind::closed);
  }
}

TEST_F(SqliteStore, DataPersistsAcrossReopen) {
  run_sync(db->write("insert", [](Tx& tx) { tx.exec("INSERT INTO t (id) VALUES (42)"); }));
  db.reset();
  db = open_sqlite(SqliteOptions{.data_dir = dir.path}, registry);
  EXPECT_EQ(run_sync(db->read("get", "SELECT id FROM t"))[0].int64(0), 42);
}

}  // namespace
}  // namespace parley::store
