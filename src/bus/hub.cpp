#include "bus/hub.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>

namespace parley::bus {

Hub::Shard& Hub::shard_of(boost::asio::io_context& thread) {
  std::lock_guard lock(mutex_);
  for (auto& s : shards_)
    if (s.thread == &thread) return s;
  auto& s = shards_.emplace_back();
  s.thread = &thread;
  return s;
}

void Hub::subscribe(boost::asio::io_context& thread, std::int64_t topic, Subscriber* sub) {
  Shard& shard = shard_of(thread);
  auto& subs = shard.local[topic];
  if (std::find(subs.begin(), subs.end(), sub) != subs.end()) return;
  subs.push_back(sub);
  if (subs.size() == 1) {
    std::lock_guard lock(mutex_);
    auto& shards = topic_shards_[topic];
    shards.push_back(&shard);
    if (shards.size() == 1 && hook_) hook_(topic, true);
  }
}

void Hub::unsubscribe(boost::asio::io_context& thread, std::int64_t topic, Subscriber* sub) {
  Shard& shard = shard_of(thread);
  auto it = shard.local.find(topic);
  if (it == shard.local.end()) return;
  auto& subs = it->second;
  auto pos = std::find(subs.begin(), subs.end(), sub);
  if (pos == subs.end()) return;
  // Order among subscribers does not matter: swap with the last.
  *pos = subs.back();
  subs.pop_back();
  if (!subs.empty()) return;
  shard.local.erase(it);
  std::lock_guard lock(mutex_);
  auto t = topic_shards_.find(topic);
  if (t == topic_shards_.end()) return;
  std::erase(t->second, &shard);
  if (!t->second.empty()) return;
  topic_shards_.erase(t);
  if (hook_) hook_(topic, false);
}

void Hub::deliver_local(Shard& shard, const Event& event) {
  auto it = shard.local.find(event.topic);
  if (it == shard.local.end()) return;
  // A subscriber may unsubscribe (itself or others) while being delivered to: walk a copy when
  // there is more than one.
  if (it->second.size() == 1) {
    Subscriber* s = it->second.front();
    if (!event.except || s->tag() != event.except) s->deliver(event);
    return;
  }
  const std::vector<Subscriber*> subs = it->second;
  for (Subscriber* s : subs) {
    auto now = shard.local.find(event.topic);
    if (now == shard.local.end()) return;
    if (std::find(now->second.begin(), now->second.end(), s) == now->second.end()) continue;
    if (event.except && s->tag() == event.except) continue;
    s->deliver(event);
  }
}

void Hub::publish(Event event) {
  // Snapshot the threads under the lock, post outside it (one post per thread with subscribers).
  Shard* targets[8];
  std::vector<Shard*> more;
  std::size_t n = 0;
  {
    std::lock_guard lock(mutex_);
    ++published_;
    auto t = topic_shards_.find(event.topic);
    if (t == topic_shards_.end()) return;
    n = t->second.size();
    if (n <= std::size(targets)) std::copy(t->second.begin(), t->second.end(), targets);
    else more = t->second;
  }
  auto post = [&event](Shard* shard) {
    boost::asio::post(*shard->thread, [shard, event] { deliver_local(*shard, event); });
  };
  if (more.empty()) {
    for (std::size_t i = 0; i < n; ++i) post(targets[i]);
  } else {
    for (Shard* s : more) post(s);
  }
}

std::size_t Hub::topics() const {
  std::lock_guard lock(mutex_);
  return topic_shards_.size();
}

std::uint64_t Hub::published() const {
  std::lock_guard lock(mutex_);
  return published_;
}

}  // namespace parley::bus
