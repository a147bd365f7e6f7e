#include "core/worker_pool.hpp"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace parley {

WorkerPool::WorkerPool(std::size_t threads, std::size_t queue_limit)
    : pool_(static_cast<int>(threads)), guard_(pool_.get_executor()), limit_(queue_limit) {
  for (std::size_t i = 0; i < std::max<std::size_t>(threads, 1); ++i) {
    threads_.emplace_back([this] {
      // SCHED_IDLE: an I/O thread that wakes up preempts a hashing thread at once (nice alone
      // left request latency at the mercy of the hash's time slice). Fall back to nice 19.
      sched_param idle{};
      if (pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle) != 0)
        setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), 19);
      pool_.run();
    });
  }
}

WorkerPool::~WorkerPool() { stop(); }

void WorkerPool::stop() {
  guard_.reset();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

}  // namespace parley
