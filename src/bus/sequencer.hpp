#pragma once
// A stored topic's order on this node: `head` is the highest seq fanned out here with every seq
// before it. An event at or below head is dropped (a duplicate), head + 1 is delivered (and what
// it unblocks in the reorder buffer after it), anything higher waits in the buffer while the
// missing seqs are fetched from the store (missing() says which): a seq is fetched, never
// skipped. Before head is known (the store not asked yet) everything waits. Single-threaded.
#include "bus/hub.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>

namespace parley::bus {

class Sequencer {
 public:
  using Clock = std::chrono::steady_clock;

  bool known() const { return known_; }
  std::int64_t head() const { return head_; }
  // The highest seq known to exist (buffered, or the store's last_seq).
  std::int64_t target() const { return target_; }
  std::size_t buffered() const { return buffer_.size(); }
  // A gap: some seq in (head, target] is missing here; since when.
  bool gap() const { return known_ && target_ > head_; }
  Clock::time_point gap_since() const { return gap_since_; }
  // The range to fetch: (head, target].
  std::optional<std::pair<std::int64_t, std::int64_t>> missing() const {
    if (!gap()) return std::nullopt;
    return std::pair{head_, target_};
  }

  // Head is known from now on; what was buffered after it is delivered when contiguous.
  template <class Deliver>
  void start(std::int64_t head, Deliver&& deliver) {
    known_ = true;
    head_ = head;
    target_ = std::max(target_, head);
    drain(deliver);
  }
  // Head moves to `head` without delivering what is before it (a backlog too long to fan out:
  // subscribers that need it read it from the store themselves).
  template <class Deliver>
  void skip_to(std::int64_t head, Deliver&& deliver) {
    if (head > head_) head_ = head;
    target_ = std::max(target_, head_);
    drain(deliver);
  }
  // The store says the topic's last seq is `last`.
  void saw_last(std::int64_t last) { raise_target(last); }

  // A stored event (seq > 0). Returns false when it was a duplicate (dropped).
  template <class Deliver>
  bool offer(Event event, Deliver&& deliver) {
    const std::int64_t seq = event.seq;
    if (known_ && seq <= head_) return false;
    raise_target(seq);
    if (known_ && seq == head_ + 1) {
      ++head_;
      deliver(event);
      drain(deliver);
      return true;
    }
    return buffer_.emplace(seq, std::move(event)).second;
  }

 private:
  void raise_target(std::int64_t seq) {
    const bool had_gap = gap();
    target_ = std::max(target_, seq);
    if (!had_gap && gap()) gap_since_ = Clock::now();
  }
  template <class Deliver>
  void drain(Deliver& deliver) {
    while (!buffer_.empty() && buffer_.begin()->first <= head_ + 1) {
      auto node = buffer_.extract(buffer_.begin());
      if (node.key() == head_ + 1) {
        ++head_;
        deliver(node.mapped());
      }
    }
    if (gap() && gap_since_ == Clock::time_point{}) gap_since_ = Clock::now();
    if (!gap()) gap_since_ = {};
  }

  bool known_ = false;
  std::int64_t head_ = 0;
  std::int64_t target_ = 0;
  Clock::time_point gap_since_{};
  std::map<std::int64_t, Event> buffer_;
};

}  // namespace parley::bus
