#include "store/store_metrics.hpp"

#include <mutex>

#include "core/log.hpp"

namespace parley::store {

StoreMetrics::StoreMetrics(metrics::Registry& registry, std::string backend, std::chrono::milliseconds slow_threshold)
    : backend_(std::move(backend)),
      slow_threshold_(slow_threshold),
      durations_(registry.histogram("parley_store_operation_duration_seconds", "Store call duration.",
                                    {"backend", "op", "kind"})),
      errors_(registry.counter("parley_store_errors_total", "Store calls that failed with a store error.", {"op"})),
      batch_size_(registry
                      .histogram("parley_store_group_commit_batch_size", "Writes per group commit.", {},
                                 {1, 2, 4, 8, 16, 32, 64, 128, 256, 512})
                      .with(std::vector<std::string>{})),
      commit_duration_(registry
                           .histogram("parley_store_group_commit_duration_seconds",
                                      "Group commit time, from BEGIN to COMMIT done.")
                           .with(std::vector<std::string>{})) {}

StoreMetrics::PerOp& StoreMetrics::per_op(std::string_view op, OpKind kind) {
  auto& ops = kind == OpKind::read ? reads_ : writes_;
  {
    std::shared_lock lock(mutex_);
    if (auto it = ops.find(op); it != ops.end()) return it->second;
  }
  std::unique_lock lock(mutex_);
  auto [it, inserted] = ops.try_emplace(std::string(op));
  if (inserted) {
    it->second.duration = &durations_.with({backend_, op, kind == OpKind::read ? "read" : "write"});
    it->second.errors = &errors_.with({op});
  }
  return it->second;
}

void StoreMetrics::op_done(std::string_view op, OpKind kind, std::chrono::steady_clock::duration took, bool failed) {
  PerOp& m = per_op(op, kind);
  double seconds = std::chrono::duration<double>(took).count();
  m.duration->observe(seconds);
  if (failed) m.errors->inc();
  if (took > slow_threshold_) {
    log::warn("slow store call", {{"backend", backend_},
                                  {"op", op},
                                  {"kind", kind == OpKind::read ? "read" : "write"},
                                  {"duration_ms", seconds * 1000.0}});
  }
}

}  // namespace parley::store
