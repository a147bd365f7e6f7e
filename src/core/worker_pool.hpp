#pragma once
// A bounded pool of threads for CPU-heavy work (Argon2id, image resizing) that must never run on
// an I/O thread. `co_await pool.run(fn)` runs fn on a pool thread and resumes the caller on its own
// executor with fn's result (or its exception). At most `queue_limit` jobs wait; past that, run()
// throws PoolBusy so callers can shed load (503) instead of queueing without bound.
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <vector>

namespace parley {

class PoolBusy : public std::runtime_error {
 public:
  PoolBusy() : std::runtime_error("worker pool queue is full") {}
};

// Pool threads run at the lowest scheduling priority (SCHED_IDLE) below the I/O threads, so that a burst
// of hashing (a login storm) slows the logins down rather than every other request.
class WorkerPool {
 public:
  WorkerPool(std::size_t threads, std::size_t queue_limit);
  ~WorkerPool();

  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F&>> run(F fn);

  std::size_t queued() const { return pending_.load(std::memory_order_relaxed); }
  void stop();

 private:
  boost::asio::io_context pool_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::vector<std::thread> threads_;
  std::size_t limit_;
  std::atomic<std::size_t> pending_{0};
};

template <class F>
boost::asio::awaitable<std::invoke_result_t<F&>> WorkerPool::run(F fn) {
  namespace asio = boost::asio;
  using R = std::invoke_result_t<F&>;
  if (pending_.fetch_add(1, std::memory_order_relaxed) >= limit_) {
    pending_.fetch_sub(1, std::memory_order_relaxed);
    throw PoolBusy();
  }
  using Slot = std::conditional_t<std::is_void_v<R>, bool, std::optional<R>>;
  auto slot = std::make_shared<Slot>();
  // The initiation is a named local: GCC 12 destroys a capturing lambda temporary written inside a
  // co_await expression twice (here: `slot`, a shared_ptr, released twice -> heap corruption).
  auto initiate = [this, &fn, slot](auto handler) {
        auto work = asio::prefer(asio::get_associated_executor(handler), asio::execution::outstanding_work.tracked);
        asio::post(pool_, [this, fn = std::move(fn), slot, handler = std::move(handler), work]() mutable {
          std::exception_ptr error;
          try {
            if constexpr (std::is_void_v<R>) fn();
            else slot->emplace(fn());
          } catch (...) {
            error = std::current_exception();
          }
          pending_.fetch_sub(1, std::memory_order_relaxed);
          asio::post(work, [handler = std::move(handler), error]() mutable { std::move(handler)(error); });
        });
      };
  co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr)>(std::move(initiate),
                                                                                        asio::use_awaitable);
  if constexpr (!std::is_void_v<R>) co_return std::move(**slot);
}

}  // namespace parley
