#include "store/sqlite/writer.hpp"

#include "core/log.hpp"

namespace parley::store::sqlite {
namespace {

using Clock = std::chrono::steady_clock;

class SqliteTx final : public Tx {
 public:
  explicit SqliteTx(Connection& conn) : conn_(conn) {}
  using Tx::exec;
  Rows exec(std::string_view sql, std::span<const Value> params) override { return conn_.exec(sql, params); }
  std::int64_t changes() const override { return conn_.changes(); }
  void lock(std::int64_t) override {}
  void after_commit(std::move_only_function<void()> fn) override {
    if (!pending_) throw Error(Error::Kind::other, "after_commit outside a write");
    pending_->push_back(std::move(fn));
  }
  // Where the running job's after_commit functions go (null between jobs).
  void collect_into(std::vector<std::move_only_function<void()>>* pending) { pending_ = pending; }

 private:
  Connection& conn_;
  std::vector<std::move_only_function<void()>>* pending_ = nullptr;
};

bool is_full(const std::exception_ptr& e) {
  if (!e) return false;
  try {
    std::rethrow_exception(e);
  } catch (const Error& err) {
    return err.kind() == Error::Kind::full;
  } catch (...) {
    return false;
  }
}

bool is_store_error(const std::exception_ptr& e) {
  if (!e) return false;
  try {
    std::rethrow_exception(e);
  } catch (const Error&) {
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace

Writer::Writer(const std::filesystem::path& file, std::size_t max_batch, StoreMetrics& metrics)
    : file_(file),
      conn_(std::make_unique<Connection>(file, Connection::Mode::writer)),
      max_batch_(max_batch == 0 ? 1 : max_batch),
      metrics_(metrics),
      thread_([this] { loop(); }) {}

Writer::~Writer() { close(); }

void Writer::submit(detail::WriteJob job) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back(Queued{std::move(job), Clock::now(), nullptr});
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
      if (queue_.empty()) return;  // stopping, and everything queued has been written
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    run_batch(batch);
    batch.clear();
  }
}

void Writer::run_batch(std::vector<Queued>& batch) {
  const auto begin = Clock::now();
  std::exception_ptr batch_error;
  try {
    conn_->exec("BEGIN IMMEDIATE");
    batch_error = run_jobs(batch);
    if (!batch_error) {
      conn_->exec("COMMIT");
      run_after_commit(batch);
    }
  } catch (...) {
    batch_error = std::current_exception();
  }
  if (batch_error && conn_->in_transaction()) {
    try {
      conn_->exec("ROLLBACK");
    } catch (const std::exception& e) {
      log::error("store rollback failed", {{"backend", "sqlite"}, {"error", e.what()}});
    }
  }
  if (!batch_error) {
    metrics_.batch_size().observe(static_cast<double>(batch.size()));
    metrics_.commit_duration().observe(std::chrono::duration<double>(Clock::now() - begin).count());
  }
  note_space(batch, batch_error);
  complete(batch, batch_error);
}

void Writer::note_space(const std::vector<Queued>& batch, const std::exception_ptr& batch_error) {
  bool out_of_space = is_full(batch_error);
  for (const Queued& q : batch) out_of_space = out_of_space || is_full(q.error);
  if (out_of_space) {
    if (!full_.exchange(true))
      log::error("storage full: writes fail until space is freed",
                 {{"backend", "sqlite"}, {"file", file_.string()}});
  } else if (!batch_error && full_.exchange(false)) {
    log::info("storage writable again", {{"backend", "sqlite"}});
  }
}

std::exception_ptr Writer::run_jobs(std::vector<Queued>& batch) {
  SqliteTx tx(*conn_);
  for (Queued& q : batch) {
    conn_->exec("SAVEPOINT parley_write");
    try {
      tx.collect_into(&q.after_commit);
      q.job.run(tx);
      tx.collect_into(nullptr);
      conn_->exec("RELEASE parley_write");
    } catch (...) {
      tx.collect_into(nullptr);
      q.after_commit.clear();  // this write rolled back: its events never happened
      q.error = std::current_exception();
      // Some errors (disk full, I/O) make SQLite roll the whole transaction back: then the
      // jobs before this one are gone too, and the batch fails.
      if (!conn_->in_transaction()) return q.error;
      conn_->exec("ROLLBACK TO parley_write");
      conn_->exec("RELEASE parley_write");
    }
  }
  return nullptr;
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
    metrics_.op_done(q.job.op, StoreMetrics::OpKind::write, now - q.queued_at, is_store_error(e));
    q.job.complete(e);
  }
}

}  // namespace parley::store::sqlite
