#include "store/postgres/writer.hpp"

#include "core/log.hpp"
#include "store/postgres/pg_values.hpp"

namespace parley::store::pg {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kReconnectInterval = std::chrono::milliseconds(250);
constexpr int kMaxAttempts = 5;  // runs of a job that keeps losing deadlocks

class PgTx final : public Tx {
 public:
  explicit PgTx(SyncConnection& conn) : conn_(conn) {}
  using Tx::exec;
  Rows exec(std::string_view sql, std::span<const Value> params) override { return conn_.exec(sql, params); }
  std::int64_t changes() const override { return conn_.changes(); }
  void lock(std::int64_t key) override {
    const Value k{key};
    conn_.exec("SELECT pg_advisory_xact_lock($1)", std::span<const Value>(&k, 1));
  }
  void after_commit(std::move_only_function<void()> fn) override {
    if (!pending_) throw Error(Error::Kind::other, "after_commit outside a write");
    pending_->push_back(std::move(fn));
  }
  void collect_into(std::vector<std::move_only_function<void()>>* pending) { pending_ = pending; }

 private:
  SyncConnection& conn_;
  std::vector<std::move_only_function<void()>>* pending_ = nullptr;
};

const Error* store_error(const std::exception_ptr& e) {
  if (!e) return nullptr;
  try {
    std::rethrow_exception(e);
  } catch (const Error& err) {
    return &err;  // the exception object lives as long as `e`
  } catch (...) {
    return nullptr;
  }
}

bool is_kind(const std::exception_ptr& e, Error::Kind kind) {
  const Error* err = store_error(e);
  return err && err->kind() == kind;
}

}  // namespace

Writer::Writer(std::string conninfo, std::size_t max_batch, StoreMetrics& metrics)
    : conninfo_(std::move(conninfo)),
      conn_(std::make_unique<SyncConnection>(conninfo_)),
      max_batch_(max_batch == 0 ? 1 : max_batch),
      metrics_(metrics),
      thread_([this] { loop(); }) {}

Writer::~Writer() { close(); }

void Writer::submit(detail::WriteJob job) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back(Queued{std::move(job), Clock::now(), nullptr, {}, 0});
      wake_.notify_one();
      return;
    }
  }
  job.complete(std::make_exception_ptr(Error(Error::Kind::closed, "the store is closed")));
}

void Writer::close() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

bool Writer::running() const {
  std::lock_guard lock(mutex_);
  return !stopping_;
}

void Writer::loop() {
  std::vector<Queued> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    run_batch(batch);
    batch.clear();
  }
}

// A live connection, or false (with connect_error_) when PostgreSQL cannot be reached now. Tries
// again at most every kReconnectInterval, so that writes fail fast while it is down.
bool Writer::connected() {
  if (conn_ && conn_->ok()) return true;
  conn_.reset();
  const auto now = Clock::now();
  if (connect_error_ && now - last_connect_ < kReconnectInterval) return false;
  last_connect_ = now;
  try {
    conn_ = std::make_unique<SyncConnection>(conninfo_);
    connect_error_ = nullptr;
    if (down_.exchange(false)) log::info("store reachable again", {{"backend", "postgres"}});
    return true;
  } catch (...) {
    connect_error_ = std::current_exception();
    if (!down_.exchange(true)) {
      const Error* e = store_error(connect_error_);
      log::error("store unreachable: writes fail until it returns",
                 {{"backend", "postgres"}, {"error", e ? e->what() : "unknown"}});
    }
    return false;
  }
}

void Writer::run_batch(std::vector<Queued>& batch) {
  const auto begin = Clock::now();
  std::exception_ptr batch_error;
  if (!connected()) {
    batch_error = connect_error_;
  } else {
    bool in_tx = false;
    try {
      conn_->queue("BEGIN");
      in_tx = true;
      batch_error = run_jobs(batch);
      if (!batch_error) {
        conn_->exec("COMMIT");
        in_tx = false;
        run_after_commit(batch);
      }
    } catch (...) {
      batch_error = std::current_exception();
    }
    if (batch_error && in_tx && conn_->ok()) {
      try {
        conn_->exec("ROLLBACK");
      } catch (const std::exception& e) {
        log::error("store rollback failed", {{"backend", "postgres"}, {"error", e.what()}});
      }
    }
    if (batch_error && is_kind(batch_error, Error::Kind::unavailable)) down_.store(true);
  }
  if (!batch_error) {
    metrics_.batch_size().observe(static_cast<double>(batch.size()));
    metrics_.commit_duration().observe(std::chrono::duration<double>(Clock::now() - begin).count());
  }
  note_space(batch, batch_error);
  if (!batch_error) retry_later(batch);
  complete(batch, batch_error);
}

std::exception_ptr Writer::run_jobs(std::vector<Queued>& batch) {
  PgTx tx(*conn_);
  for (Queued& q : batch) {
    conn_->queue("SAVEPOINT parley_write");
    try {
      tx.collect_into(&q.after_commit);
      q.job.run(tx);
      tx.collect_into(nullptr);
      conn_->queue("RELEASE parley_write");
    } catch (...) {
      tx.collect_into(nullptr);
      q.after_commit.clear();
      q.error = std::current_exception();
      // A lost connection takes the whole transaction with it.
      if (is_kind(q.error, Error::Kind::unavailable) || !conn_->ok()) return q.error;
      conn_->exec("ROLLBACK TO parley_write");
      conn_->queue("RELEASE parley_write");
    }
  }
  return nullptr;
}

// Jobs that lost a deadlock go back to the front of the queue, to run in the next batch.
void Writer::retry_later(std::vector<Queued>& batch) {
  std::vector<Queued> again, kept;
  for (Queued& q : batch) {
    const Error* e = store_error(q.error);
    if (e && retryable(*e) && q.attempts + 1 < kMaxAttempts) {
      q.error = nullptr;
      ++q.attempts;
      again.push_back(std::move(q));
    } else {
      kept.push_back(std::move(q));
    }
  }
  if (again.empty()) {
    batch = std::move(kept);
    return;
  }
  batch = std::move(kept);
  std::lock_guard lock(mutex_);
  for (auto it = again.rbegin(); it != again.rend(); ++it) queue_.push_front(std::move(*it));
  wake_.notify_one();
}

void Writer::note_space(const std::vector<Queued>& batch, const std::exception_ptr& batch_error) {
  bool out_of_space = is_kind(batch_error, Error::Kind::full);
  for (const Queued& q : batch) out_of_space = out_of_space || is_kind(q.error, Error::Kind::full);
  if (out_of_space) {
    if (!full_.exchange(true)) log::error("storage full: writes fail until space is freed", {{"backend", "postgres"}});
  } else if (!batch_error && full_.exchange(false)) {
    log::info("storage writable again", {{"backend", "postgres"}});
  }
}

void Writer::run_after_commit(std::vector<Queued>& batch) {
  for (Queued& q : batch) {
    for (auto& fn : q.after_commit) {
      try {
        fn();
      } catch (const std::exception& e) {
        log::error("after_commit failed", {{"op", q.job.op}, {"error", e.what()}});
      } catch (...) {
        log::error("after_commit failed", {{"op", q.job.op}});
      }
    }
    q.after_commit.clear();
  }
}

void Writer::complete(std::vector<Queued>& batch, const std::exception_ptr& batch_error) {
  const auto now = Clock::now();
  for (Queued& q : batch) {
    std::exception_ptr e = q.error ? q.error : batch_error;
    metrics_.op_done(q.job.op, StoreMetrics::OpKind::write, now - q.queued_at, store_error(e) != nullptr);
    q.job.complete(e);
  }
}

}  // namespace parley::store::pg
