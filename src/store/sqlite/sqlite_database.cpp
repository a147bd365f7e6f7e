// The SQLite implementation of store::Database: reads inline on a read-only connection owned by
// the calling thread, writes through the group-commit writer thread.
#include <sys/statvfs.h>

#include <atomic>
#include <mutex>
#include <unordered_map>

#include "store/sqlite.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/writer.hpp"
#include "store/store_metrics.hpp"

namespace parley::store {
namespace {

using Clock = std::chrono::steady_clock;
// Free space at which a database that ran out of it is taken to have room again.
constexpr std::uint64_t kRoomAgainBytes = 4 << 20;
std::atomic<std::uint64_t> next_database_id{1};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(const SqliteOptions& options, metrics::Registry& registry)
      : file_(options.data_dir / "parley.db"),
        metrics_(registry, "sqlite", options.slow_threshold),
        writer_(file_, options.max_batch, metrics_) {}

  ~SqliteDatabase() override { close(); }

  asio::awaitable<Rows> read(std::string_view op, std::string_view sql, std::vector<Value> params) override {
    const auto start = Clock::now();
    try {
      std::shared_ptr<sqlite::Connection> conn = reader();
      Rows rows = conn->exec(sql, params);
      metrics_.op_done(op, StoreMetrics::OpKind::read, Clock::now() - start, false);
      co_return rows;
    } catch (const Error&) {
      metrics_.op_done(op, StoreMetrics::OpKind::read, Clock::now() - start, true);
      throw;
    }
  }

  asio::awaitable<bool> ping() override {
    if (closed_ || !writer_.running()) co_return false;
    try {
      Rows rows = reader()->exec("SELECT 1");
      co_return rows.size() == 1;
    } catch (const std::exception&) {
      co_return false;
    }
  }

  std::string_view backend() const override { return "sqlite"; }

  // Full once a write failed for want of space, and until a write commits or the disk has room
  // again (else a node taken out of rotation for a full disk would never be written to, and never
  // be seen to recover).
  bool storage_full() const override {
    if (!writer_.full()) return false;
    struct statvfs st{};
    if (::statvfs(file_.parent_path().c_str(), &st) != 0) return true;
    const auto free_bytes = static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize;
    return free_bytes < kRoomAgainBytes;
  }

  void close() override {
    closed_ = true;
    writer_.close();
  }

 protected:
  void submit(detail::WriteJob job) override { writer_.submit(std::move(job)); }

 private:
  // The calling thread's read connection for this database, opened on first use. The database
  // owns the connections (closed with it); threads keep weak references keyed by database id.
  std::shared_ptr<sqlite::Connection> reader() {
    if (closed_) throw Error(Error::Kind::closed, "the store is closed");
    thread_local std::unordered_map<std::uint64_t, std::weak_ptr<sqlite::Connection>> mine;
    if (auto it = mine.find(id_); it != mine.end()) {
      if (auto conn = it->second.lock()) return conn;
    }
    std::erase_if(mine, [](const auto& entry) { return entry.second.expired(); });
    auto conn = std::make_shared<sqlite::Connection>(file_, sqlite::Connection::Mode::reader);
    {
      std::lock_guard lock(readers_mutex_);
      readers_.push_back(conn);
    }
    mine[id_] = conn;
    return conn;
  }

  const std::uint64_t id_ = next_database_id++;
  std::filesystem::path file_;
  StoreMetrics metrics_;
  sqlite::Writer writer_;
  std::atomic<bool> closed_{false};
  std::mutex readers_mutex_;
  std::vector<std::shared_ptr<sqlite::Connection>> readers_;
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const SqliteOptions& options, metrics::Registry& registry) {
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) throw Error(Error::Kind::io, "cannot create " + options.data_dir.string() + ": " + ec.message());
  return std::make_unique<SqliteDatabase>(options, registry);
}

}  // namespace parley::store
