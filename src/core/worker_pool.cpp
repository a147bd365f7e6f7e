#include "core/worker_pool.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace parley {

WorkerPool::WorkerPool(std::size_t threads, std::size_t queue_limit)
    : pool_(static_cast<int>(threads)), guard_(pool_.get_executor()), limit_(queue_limit) {
  for (std::size_t i = 0; i < std::max<std::size_t>(threads, 1); ++i) {
    threads_.emplace_back([this] {
      setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), 10);
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
