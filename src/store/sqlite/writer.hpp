#pragma once
// The single writer thread: group commit. Queued jobs are taken in batches of up to max_batch;
// each batch is one transaction (BEGIN IMMEDIATE .. COMMIT, one fsync), each job runs under its
// own savepoint so a failing job rolls back only itself. Waiters are completed after COMMIT.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "store/database.hpp"
#include "store/sqlite/connection.hpp"
#include "store/store_metrics.hpp"

namespace parley::store::sqlite {

class Writer {
 public:
  // Opens the writer connection here, so a bad file fails the caller, then starts the thread.
  Writer(const std::filesystem::path& file, std::size_t max_batch, StoreMetrics& metrics);
  ~Writer();

  // Queues a job; after close() the job is completed at once with Error(closed).
  void submit(detail::WriteJob job);
  // Drains the queue, then stops the thread. Idempotent; must not be called from a job.
  void close();
  bool running() const;
  // True since a batch failed for want of space, until a batch commits again.
  bool full() const { return full_.load(std::memory_order_relaxed); }

 private:
  struct Queued {
    detail::WriteJob job;
    std::chrono::steady_clock::time_point queued_at;
    std::exception_ptr error;
    std::vector<std::move_only_function<void()>> after_commit;  // Tx::after_commit, run after COMMIT
  };
  void loop();
  void run_batch(std::vector<Queued>& batch);
  // Runs every job under its savepoint; returns an error that dooms the whole batch, if any.
  std::exception_ptr run_jobs(std::vector<Queued>& batch);
  void complete(std::vector<Queued>& batch, const std::exception_ptr& batch_error);
  // Follows the full state from a batch's outcome; logs only its changes (not each failed write).
  void note_space(const std::vector<Queued>& batch, const std::exception_ptr& batch_error);
  // After a durable COMMIT: every job's after_commit functions, in job order.
  static void run_after_commit(std::vector<Queued>& batch);

  std::filesystem::path file_;
  std::unique_ptr<Connection> conn_;
  std::size_t max_batch_;
  StoreMetrics& metrics_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Queued> queue_;
  bool stopping_ = false;
  std::atomic<bool> full_{false};
  std::thread thread_;
};

}  // namespace parley::store::sqlite
