#pragma once
// The PostgreSQL twin of the SQLite group-commit writer: one thread, one connection. Queued jobs
// are taken in batches of up to max_batch; a batch is one transaction (one COMMIT, one WAL flush),
// each job under its own savepoint (queued in the pipeline: no extra round trip), so a failing job
// rolls back only itself. Waiters are completed after COMMIT, so an acknowledged write is durable.
// Concurrent sends to one room share a transaction, and the room's counter row stays locked to
// COMMIT: seq order is commit order on every node.
//
// A job that loses a deadlock (two nodes' batches locking rooms in opposite orders) is run again
// in the next batch. While PostgreSQL cannot be reached, writes fail at once with
// Error(unavailable) — a reconnect is tried at most every `reconnect_interval` — and the writer
// reconnects by itself when it returns.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/database.hpp"
#include "store/postgres/sync_connection.hpp"
#include "store/store_metrics.hpp"

namespace parley::store::pg {

class Writer {
 public:
  // Connects here, so a bad URL or an unreachable server fails the caller, then starts the thread.
  Writer(std::string conninfo, std::size_t max_batch, StoreMetrics& metrics);
  ~Writer();

  void submit(detail::WriteJob job);
  void close();
  bool running() const;
  bool full() const { return full_.load(std::memory_order_relaxed); }
  // True while the last attempt to reach PostgreSQL failed.
  bool down() const { return down_.load(std::memory_order_relaxed); }

 private:
  struct Queued {
    detail::WriteJob job;
    std::chrono::steady_clock::time_point queued_at;
    std::exception_ptr error;
    std::vector<std::move_only_function<void()>> after_commit;
    int attempts = 0;
  };
  void loop();
  void run_batch(std::vector<Queued>& batch);
  std::exception_ptr run_jobs(std::vector<Queued>& batch);
  bool connected();
  void retry_later(std::vector<Queued>& batch);
  void complete(std::vector<Queued>& batch, const std::exception_ptr& batch_error);
  void note_space(const std::vector<Queued>& batch, const std::exception_ptr& batch_error);
  static void run_after_commit(std::vector<Queued>& batch);

  std::string conninfo_;
  std::unique_ptr<SyncConnection> conn_;
  std::exception_ptr connect_error_;
  std::chrono::steady_clock::time_point last_connect_{};
  std::size_t max_batch_;
  StoreMetrics& metrics_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Queued> queue_;
  bool stopping_ = false;
  std::atomic<bool> full_{false};
  std::atomic<bool> down_{false};
  std::thread thread_;
};

}  // namespace parley::store::pg
