#pragma once
// The backend-neutral store interface used by services. No backend types appear here: SQL is
// written with $1, $2, ... placeholders and always bound, never spliced.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "store/error.hpp"
#include "store/value.hpp"

namespace parley::store {

namespace asio = boost::asio;

// A transaction in progress. Only valid inside a Database::write callback, on the writer.
class Tx {
 public:
  virtual ~Tx() = default;
  // Runs one statement (prepared-statement cache) and returns its rows. A text holding several
  // statements runs them all (no parameters allowed then) and returns the last one's rows.
  virtual Rows exec(std::string_view sql, std::span<const Value> params = {}) = 0;
  Rows exec(std::string_view sql, std::initializer_list<Value> params) {
    return exec(sql, std::span<const Value>(params.begin(), params.size()));
  }
  // Rows changed by the last exec.
  virtual std::int64_t changes() const = 0;
  // Holds the cluster-wide lock `key` until this transaction ends: another node's transaction
  // taking the same key waits for it (PostgreSQL: an advisory transaction lock). A no-op on
  // SQLite, whose single writer already runs one transaction at a time.
  virtual void lock(std::int64_t key) = 0;
  // Runs fn on the writer thread once the batch holding this write has committed durably: in job
  // order (and, within a job, in call order), before any waiter of the batch is resumed. Dropped
  // when this write's savepoint rolls back (it threw) or the commit fails. fn must not block (it
  // posts); an exception from it is logged and swallowed. Used to publish events in commit order.
  virtual void after_commit(std::move_only_function<void()> fn) = 0;
};

namespace detail {
// A type-erased write: `run` executes on the writer thread inside the job's savepoint; after the
// batch commits (or fails), `complete` is called once, on the writer thread, with the job's own
// exception, the commit's, or null. `complete` must not block: it posts to the waiter.
struct WriteJob {
  std::string op;
  std::move_only_function<void(Tx&)> run;
  std::move_only_function<void(std::exception_ptr)> complete;
};
}  // namespace detail

class Database {
 public:
  virtual ~Database() = default;

  // Point or range read. `op` names the operation for metrics and the slow log. The strings must
  // outlive the co_await (they do when awaited in the same expression).
  virtual asio::awaitable<Rows> read(std::string_view op, std::string_view sql, std::vector<Value> params = {}) = 0;
  // The same with parameters given one by one: co_await db.read("user", "... WHERE id = $1", id).
  // Prefer this inside coroutines: GCC 12 rejects a braced list ({id}) inside a co_await
  // expression ("array used as initializer").
  template <class... Params>
    requires(sizeof...(Params) > 0 && (std::is_constructible_v<Value, Params &&> && ...))
  asio::awaitable<Rows> read(std::string_view op, std::string_view sql, Params&&... params) {
    std::vector<Value> values;
    values.reserve(sizeof...(Params));
    (values.emplace_back(std::forward<Params>(params)), ...);
    return read(op, sql, std::move(values));
  }

  // Runs fn(Tx&) in a group-commit transaction, under its own savepoint: an exception rolls back
  // only this write and is rethrown here. Resumes on the awaiting coroutine's executor once the
  // batch is durable, with fn's result (or an Error if the commit failed). fn runs on the writer
  // thread while the caller waits, so capturing by reference ([&]) is safe and preferred.
  // GCC 12 bug: inside a coroutine, a lambda written in the co_await expression that captures a
  // local BY COPY ([name]) gets that local freed twice. Capture by reference, or name the lambda
  // first (auto fn = [name](Tx&) {...}; co_await db.write("op", std::move(fn));).
  template <class F>
  asio::awaitable<std::invoke_result_t<std::decay_t<F>&, Tx&>> write(std::string_view op, F&& fn);

  // True when the store answers (for /readyz).
  virtual asio::awaitable<bool> ping() = 0;
  virtual std::string_view backend() const = 0;
  // True while writes fail for want of space (the last write batch failed with Error::Kind::full
  // and no space has come back since): /readyz answers 503 storage_full meanwhile.
  virtual bool storage_full() const { return false; }
  // Stops accepting writes, drains the queued ones, stops the writer. Idempotent.
  virtual void close() = 0;

 protected:
  virtual void submit(detail::WriteJob job) = 0;
};

namespace detail {
template <class R>
using WriteSlot = std::conditional_t<std::is_void_v<R>, std::monostate, std::optional<R>>;

// Builds (without running) the awaitable that queues `fn` when awaited and resumes once the job
// is complete. A plain function, not a coroutine (see Database::write).
template <class F, class Submit>
asio::awaitable<void> queue_write(std::string_view op, F fn, std::shared_ptr<WriteSlot<std::invoke_result_t<F&, Tx&>>> slot,
                                  Submit submit) {
  using R = std::invoke_result_t<F&, Tx&>;
  auto init = [op = std::string(op), fn = std::move(fn), slot = std::move(slot), submit](auto handler) mutable {
    // Tracked work keeps the waiter's io_context running while the write is queued.
    auto work = asio::prefer(asio::get_associated_executor(handler), asio::execution::outstanding_work.tracked);
    WriteJob job;
    job.op = std::move(op);
    job.run = [fn = std::move(fn), slot = std::move(slot)](Tx& tx) mutable {
      if constexpr (std::is_void_v<R>) fn(tx);
      else slot->emplace(fn(tx));
    };
    job.complete = [handler = std::move(handler), work](std::exception_ptr e) mutable {
      asio::post(work, [handler = std::move(handler), e]() mutable { std::move(handler)(e); });
    };
    submit(std::move(job));
  };
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr)>(std::move(init),
                                                                                        asio::use_awaitable);
}
}  // namespace detail

namespace detail {
template <class R>
asio::awaitable<R> finish_write(std::shared_ptr<WriteSlot<R>> slot, asio::awaitable<void> queued) {
  co_await std::move(queued);
  if constexpr (std::is_void_v<R>) co_return;
  else co_return std::move(**slot);
}
}  // namespace detail

// Not a coroutine, and the coroutines it builds only await named locals: GCC 12 mis-destroys a
// closure temporary that copies a coroutine local inside a co_await expression.
template <class F>
asio::awaitable<std::invoke_result_t<std::decay_t<F>&, Tx&>> Database::write(std::string_view op, F&& fn) {
  using R = std::invoke_result_t<std::decay_t<F>&, Tx&>;
  static_assert(!std::is_reference_v<R>, "a write must return a value, not a reference");
  auto slot = std::make_shared<detail::WriteSlot<R>>();
  auto queued = detail::queue_write(op, std::decay_t<F>(std::forward<F>(fn)), slot, [this](detail::WriteJob job) { submit(std::move(job)); });
  return detail::finish_write<R>(std::move(slot), std::move(queued));
}

}  // namespace parley::store
