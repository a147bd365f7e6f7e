// Tx::after_commit on the SQLite writer: functions run after a durable COMMIT, in job order,
// before the waiters resume; they are dropped when their write rolls back or the commit fails.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/metrics.hpp"
#include "store/run_sync.hpp"
#include "store/sqlite.hpp"

#include "temp_dir.hpp"

namespace parley::store {
namespace {

using namespace std::chrono_literals;
using testing_support::TempDir;

struct IoThread {
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> guard = asio::make_work_guard(io);
  std::thread thread{[this] { io.run(); }};
  ~IoThread() {
    guard.reset();
    thread.join();
  }
};

class AfterCommit : public ::testing::Test {
 protected:
  void SetUp() override {
    db = open_sqlite(SqliteOptions{.data_dir = dir.path}, registry);
    run_sync(db->write("create", [](Tx& tx) {
      tx.exec("CREATE TABLE t (id INTEGER PRIMARY KEY)");
      tx.exec("CREATE TABLE child (parent INTEGER REFERENCES t(id) DEFERRABLE INITIALLY DEFERRED)");
    }));
  }
  void TearDown() override { db->close(); }

  void record(std::string what) {
    std::lock_guard lock(mutex);
    order.push_back(std::move(what));
  }
  std::vector<std::string> recorded() {
    std::lock_guard lock(mutex);
    return order;
  }

  TempDir dir;
  metrics::Registry registry;
  std::unique_ptr<Database> db;
  std::mutex mutex;
  std::vector<std::string> order;
};

TEST_F(AfterCommit, RunsAfterTheCommitAndBeforeTheWaiterResumes) {
  std::atomic<std::int64_t> seen_by_reader{-1};
  run_sync(db->write("insert", [&](Tx& tx) {
    tx.exec("INSERT INTO t (id) VALUES (1)");
    tx.after_commit([&] {
      // Another connection already sees the row: the transaction is committed.
      seen_by_reader = run_sync(db->read("count", "SELECT count(*) FROM t"))[0].int64(0);
      record("after_commit");
    });
  }));
  record("resumed");
  EXPECT_EQ(seen_by_reader.load(), 1);
  EXPECT_EQ(recorded(), (std::vector<std::string>{"after_commit", "resumed"}));
}

TEST_F(AfterCommit, RunInJobOrderAcrossABatchAndDroppedForARolledBackWrite) {
  std::atomic<int> queued{0};
  IoThread io;
  std::promise<void> gate_done, gate_running;
  asio::co_spawn(io.io, db->write("gate", [&](Tx&) {
    gate_running.set_value();
    while (queued.load() < 4) std::this_thread::yield();
    std::this_thread::sleep_for(20ms);
  }), [&](std::exception_ptr) { gate_done.set_value(); });
  // The gate's batch must be under way before the four are queued, or the first of them could
  // join the gate's batch and be committed apart from the others.
  gate_running.get_future().wait();
  std::promise<std::string> r1, r2, r3, r4;
  auto one = [&](int id, bool fail, std::promise<std::string>& out) -> asio::awaitable<void> {
    ++queued;
    try {
      co_await db->write("one", [&, id, fail](Tx& tx) {
        tx.exec("INSERT INTO t (id) VALUES ($1)", {std::int64_t{id}});
        tx.after_commit([this, id] { record(std::to_string(id) + "a"); });
        tx.after_commit([this, id] { record(std::to_string(id) + "b"); });
        if (fail) throw std::runtime_error("boom");
      });
      // By the time any waiter of the batch resumes, every event of the batch was published.
      out.set_value(std::to_string(recorded().size()));
    } catch (const std::runtime_error& e) {
      out.set_value(e.what());
    }
  };
  asio::co_spawn(io.io, one(1, false, r1), asio::detached);
  asio::co_spawn(io.io, one(2, true, r2), asio::detached);
  asio::co_spawn(io.io, one(3, false, r3), asio::detached);
  asio::co_spawn(io.io, one(4, false, r4), asio::detached);
  EXPECT_EQ(r1.get_future().get(), "6");
  EXPECT_EQ(r2.get_future().get(), "boom");
  EXPECT_EQ(r3.get_future().get(), "6");
  EXPECT_EQ(r4.get_future().get(), "6");
  gate_done.get_future().wait();
  EXPECT_EQ(recorded(), (std::vector<std::string>{"1a", "1b", "3a", "3b", "4a", "4b"}));
}

TEST_F(AfterCommit, DroppedWhenTheCommitFails) {
  // A deferred foreign key is checked at COMMIT: the whole batch fails there.
  try {
    run_sync(db->write("orphan", [&](Tx& tx) {
      tx.exec("INSERT INTO child (parent) VALUES (99)");
      tx.after_commit([this] { record("orphan"); });
    }));
    FAIL() << "expected the commit to fail";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), Error::Kind::foreign_key) << e.what();
  }
  EXPECT_TRUE(recorded().empty());
  // The writer goes on: the next write commits and runs its function.
  run_sync(db->write("next", [&](Tx& tx) {
    tx.exec("INSERT INTO t (id) VALUES (5)");
    tx.after_commit([this] { record("next"); });
  }));
  EXPECT_EQ(recorded(), (std::vector<std::string>{"next"}));
}

TEST_F(AfterCommit, AThrowingFunctionDoesNotFailTheWriteOrTheOthers) {
  run_sync(db->write("insert", [&](Tx& tx) {
    tx.exec("INSERT INTO t (id) VALUES (7)");
    tx.after_commit([] { throw std::runtime_error("publisher failed"); });
    tx.after_commit([this] { record("second"); });
  }));
  EXPECT_EQ(recorded(), (std::vector<std::string>{"second"}));
  EXPECT_EQ(run_sync(db->read("count", "SELECT count(*) FROM t"))[0].int64(0), 1);
}

}  // namespace
}  // namespace parley::store
