// The per-topic sequencer: only head + 1 goes out, in order, once; what comes early waits; what
// is missing is named for fetching; nothing goes out before the head is known.
#include "bus/cluster_wire.hpp"
#include "bus/sequencer.hpp"

#include <gtest/gtest.h>

namespace parley::bus {
namespace {

Event ev(std::int64_t seq) { return Event{7, seq, std::make_shared<const std::string>("f" + std::to_string(seq))}; }

struct Out {
  std::vector<std::int64_t> seqs;
  auto fn() {
    return [this](const Event& e) { seqs.push_back(e.seq); };
  }
};

TEST(ClusterBusSequencer, DeliversInOrderAndDropsDuplicates) {
  Sequencer s;
  Out out;
  s.start(0, out.fn());
  EXPECT_TRUE(s.offer(ev(1), out.fn()));
  EXPECT_TRUE(s.offer(ev(2), out.fn()));
  EXPECT_FALSE(s.offer(ev(2), out.fn()));
  EXPECT_FALSE(s.offer(ev(1), out.fn()));
  EXPECT_EQ(out.seqs, (std::vector<std::int64_t>{1, 2}));
  EXPECT_FALSE(s.gap());
  EXPECT_EQ(s.head(), 2);
}

TEST(ClusterBusSequencer, BuffersWhatComesEarlyUntilTheGapCloses) {
  Sequencer s;
  Out out;
  s.start(10, out.fn());
  s.offer(ev(13), out.fn());
  s.offer(ev(12), out.fn());
  EXPECT_TRUE(out.seqs.empty());
  EXPECT_TRUE(s.gap());
  EXPECT_EQ(s.missing(), (std::pair<std::int64_t, std::int64_t>{10, 13}));
  EXPECT_NE(s.gap_since(), Sequencer::Clock::time_point{});
  EXPECT_FALSE(s.offer(ev(13), out.fn()));  // already waiting
  s.offer(ev(11), out.fn());
  EXPECT_EQ(out.seqs, (std::vector<std::int64_t>{11, 12, 13}));
  EXPECT_FALSE(s.gap());
  EXPECT_EQ(s.buffered(), 0u);
  EXPECT_EQ(s.gap_since(), Sequencer::Clock::time_point{});
}

TEST(ClusterBusSequencer, TheStoresLastSeqOpensAGap) {
  Sequencer s;
  Out out;
  s.start(4, out.fn());
  s.saw_last(4);
  EXPECT_FALSE(s.gap());
  s.saw_last(6);  // an idle topic whose last publishes were lost
  EXPECT_EQ(s.missing(), (std::pair<std::int64_t, std::int64_t>{4, 6}));
  s.offer(ev(5), out.fn());
  s.offer(ev(6), out.fn());
  EXPECT_FALSE(s.gap());
  EXPECT_EQ(out.seqs, (std::vector<std::int64_t>{5, 6}));
}

TEST(ClusterBusSequencer, WaitsForTheHead) {
  Sequencer s;
  Out out;
  s.offer(ev(8), out.fn());
  s.offer(ev(6), out.fn());
  s.offer(ev(5), out.fn());
  EXPECT_FALSE(s.known());
  EXPECT_FALSE(s.gap());
  EXPECT_TRUE(out.seqs.empty());
  s.start(5, out.fn());  // 5 was already fanned out by then: dropped; 6 goes; 8 waits for 7
  EXPECT_EQ(out.seqs, (std::vector<std::int64_t>{6}));
  EXPECT_EQ(s.missing(), (std::pair<std::int64_t, std::int64_t>{6, 8}));
}

TEST(ClusterBusSequencer, SkipsALongBacklogOnlyWhenTold) {
  Sequencer s;
  Out out;
  s.start(0, out.fn());
  s.offer(ev(3), out.fn());
  s.offer(ev(5000), out.fn());
  s.skip_to(4999, out.fn());  // 3 is behind the new head: subscribers read it from the store
  EXPECT_EQ(out.seqs, (std::vector<std::int64_t>{5000}));
  s.offer(ev(5001), out.fn());
  EXPECT_EQ(out.seqs, (std::vector<std::int64_t>{5000, 5001}));
}

TEST(ClusterBusWire, RoundTrips) {
  Event e{42, 9, std::make_shared<const std::string>(std::string("{\"t\":\"msg\"}\n\0x", 14)), 5, 6, 7, "bye now"};
  auto m = wire::decode(wire::encode("node-a", e));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->origin, "node-a");
  EXPECT_EQ(m->event.topic, 42);
  EXPECT_EQ(m->event.seq, 9);
  EXPECT_EQ(*m->event.frame, *e.frame);
  EXPECT_EQ(m->event.except, 5);
  EXPECT_EQ(m->event.revoke, 6);
  EXPECT_EQ(m->event.end_session, 7);
  EXPECT_EQ(m->event.reason, "bye now");
  auto none = wire::decode(wire::encode("n", Event{1, 0, nullptr, 0, 3}));
  ASSERT_TRUE(none);
  EXPECT_EQ(none->event.frame, nullptr);
  EXPECT_EQ(none->event.revoke, 3);
  EXPECT_FALSE(wire::decode("P1 n 1 2"));
  EXPECT_FALSE(wire::decode("hello"));
  EXPECT_FALSE(wire::decode("P1 n 1 0 0 0 0 99 0\nshort"));
}

}  // namespace
}  // namespace parley::bus
