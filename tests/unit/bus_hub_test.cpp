// The in-process hub: events reach the subscribers of their topic on each subscriber's own
// thread, in publication order, once; `except` skips a tag; unsubscribing stops delivery.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <thread>
#include <vector>

#include "bus/hub.hpp"

namespace parley::bus {
namespace {

namespace asio = boost::asio;

struct Recorder : Subscriber {
  explicit Recorder(std::int64_t t = 0) : tag_(t) {}
  void deliver(const Event& e) override {
    seqs.push_back(e.seq);
    owner = std::this_thread::get_id();
    count.fetch_add(1);
  }
  std::int64_t tag() const override { return tag_; }
  std::int64_t tag_;
  std::vector<std::int64_t> seqs;  // touched only on the subscriber's thread
  std::thread::id owner;
  std::atomic<int> count{0};
};

// An I/O thread for the test.
struct Loop {
  asio::io_context ioc{1};
  asio::executor_work_guard<asio::io_context::executor_type> guard = asio::make_work_guard(ioc);
  std::thread thread{[this] { ioc.run(); }};
  ~Loop() {
    guard.reset();
    thread.join();
  }
  template <class F>
  void run(F f) {  // runs f on the loop's thread and waits for it
    std::promise<void> done;
    asio::post(ioc, [&] {
      f();
      done.set_value();
    });
    done.get_future().wait();
  }
};

Event event(std::int64_t topic, std::int64_t seq, std::int64_t except = 0) {
  return {topic, seq, std::make_shared<const std::string>("{}"), except};
}

void wait_for(const std::atomic<int>& n, int want) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (n.load() < want && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

TEST(BusHub, EveryEventReachesEachSubscriberOnItsThreadInOrder) {
  Hub hub;
  Loop a, b;
  Recorder a1, a2, b1, other;
  a.run([&] {
    hub.subscribe(a.ioc, 7, &a1);
    hub.subscribe(a.ioc, 7, &a2);
    hub.subscribe(a.ioc, 7, &a2);  // twice is once
    hub.subscribe(a.ioc, 8, &other);
  });
  b.run([&] { hub.subscribe(b.ioc, 7, &b1); });
  EXPECT_EQ(hub.topics(), 2u);

  constexpr int kEvents = 5000;
  std::thread publisher([&] {
    for (int i = 1; i <= kEvents; ++i) hub.publish(event(7, i));
  });
  publisher.join();
  hub.publish(event(99, 1));  // nobody listens: dropped
  for (auto* r : {&a1, &a2, &b1}) wait_for(r->count, kEvents);

  a.run([&] {
    ASSERT_EQ(a1.seqs.size(), static_cast<std::size_t>(kEvents));
    ASSERT_EQ(a2.seqs.size(), static_cast<std::size_t>(kEvents));
    for (int i = 0; i < kEvents; ++i) {
      EXPECT_EQ(a1.seqs[i], i + 1);
      EXPECT_EQ(a2.seqs[i], i + 1);
    }
    EXPECT_EQ(a1.owner, a.thread.get_id());
    EXPECT_TRUE(other.seqs.empty());
  });
  b.run([&] {
    ASSERT_EQ(b1.seqs.size(), static_cast<std::size_t>(kEvents));
    for (int i = 0; i < kEvents; ++i) EXPECT_EQ(b1.seqs[i], i + 1);
    EXPECT_EQ(b1.owner, b.thread.get_id());
  });
}

TEST(BusHub, ExceptSkipsTheTaggedSubscriberAndUnsubscribeStopsDelivery) {
  Hub hub;
  Loop a;
  Recorder alice(1), bob(2);
  a.run([&] {
    hub.subscribe(a.ioc, 5, &alice);
    hub.subscribe(a.ioc, 5, &bob);
  });
  hub.publish(event(5, 0, /*except=*/1));  // alice's own typing signal
  wait_for(bob.count, 1);
  a.run([&] {
    EXPECT_EQ(alice.count.load(), 0);
    EXPECT_EQ(bob.count.load(), 1);
    hub.unsubscribe(a.ioc, 5, &bob);
    hub.unsubscribe(a.ioc, 5, &bob);  // not there any more: no-op
  });
  hub.publish(event(5, 1));
  wait_for(alice.count, 1);
  a.run([&] {
    EXPECT_EQ(alice.count.load(), 1);
    EXPECT_EQ(bob.count.load(), 1);
    hub.unsubscribe(a.ioc, 5, &alice);
  });
  EXPECT_EQ(hub.topics(), 0u);
}

// A subscriber that leaves while an event is being handed out does not get it afterwards, and
// one that unsubscribes another mid-delivery is safe.
struct Leaver : Subscriber {
  Leaver(Hub& h, asio::io_context& t, Subscriber* victim) : hub(h), thread(t), victim(victim) {}
  void deliver(const Event& e) override {
    ++got;
    hub.unsubscribe(thread, e.topic, victim);
    hub.unsubscribe(thread, e.topic, this);
  }
  Hub& hub;
  asio::io_context& thread;
  Subscriber* victim;
  int got = 0;
};

TEST(BusHub, UnsubscribingDuringDeliveryIsSafe) {
  Hub hub;
  Loop a;
  Recorder victim;
  Leaver leaver(hub, a.ioc, &victim);
  a.run([&] {
    hub.subscribe(a.ioc, 3, &leaver);
    hub.subscribe(a.ioc, 3, &victim);
  });
  hub.publish(event(3, 1));
  hub.publish(event(3, 2));
  a.run([] {});  // the two deliveries ran before this
  a.run([&] {
    EXPECT_EQ(leaver.got, 1);
    EXPECT_EQ(victim.count.load(), 0);
  });
  EXPECT_EQ(hub.topics(), 0u);
}

}  // namespace
}  // namespace parley::bus
