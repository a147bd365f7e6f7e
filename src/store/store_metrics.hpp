#pragma once
// The store's metrics and slow-call log, shared by every backend.
#include <chrono>
#include <map>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "core/metrics.hpp"

namespace parley::store {

class StoreMetrics {
 public:
  enum class OpKind { read, write };

  StoreMetrics(metrics::Registry& registry, std::string backend, std::chrono::milliseconds slow_threshold);

  // Records one finished store call: duration histogram, error counter when `failed`, and a
  // warn line when slower than the threshold (op and duration only, never parameters).
  void op_done(std::string_view op, OpKind kind, std::chrono::steady_clock::duration took, bool failed);

  metrics::Histogram& batch_size() { return batch_size_; }
  metrics::Histogram& commit_duration() { return commit_duration_; }

 private:
  struct PerOp {
    metrics::Histogram* duration = nullptr;
    metrics::Counter* errors = nullptr;
  };
  PerOp& per_op(std::string_view op, OpKind kind);

  std::string backend_;
  std::chrono::milliseconds slow_threshold_;
  metrics::Family<metrics::Histogram>& durations_;
  metrics::Family<metrics::Counter>& errors_;
  metrics::Histogram& batch_size_;
  metrics::Histogram& commit_duration_;
  std::shared_mutex mutex_;
  // Children looked up once per (op, kind); map nodes never move, so references stay valid.
  std::map<std::string, PerOp, std::less<>> reads_, writes_;
};

}  // namespace parley::store
