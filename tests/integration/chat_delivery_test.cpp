// Delivery guarantees under stress: many clients with random disconnects and several concurrent
// senders per room see every seq of their rooms exactly once and in order; after `kill -9` in
// the middle of a send stream every acknowledged message is there and clients resume without gap.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <csignal>
#include <map>
#include <random>
#include <string>
#include <thread>

#include "chat_helpers.hpp"
#include "gateway_helpers.hpp"
#include "temp_dir.hpp"

namespace parley::it {
namespace {

using namespace chat;

ServerOptions server_options(std::optional<std::filesystem::path> data = std::nullopt) {
  auto o = fast_server();
  o.args.insert(o.args.end(), {"--ws-frame-rate", "100000"});
  o.data_dir = std::move(data);
  return o;
}

TEST(ChatDelivery, ManyClientsWithRandomDisconnectsSeeEverySeqOnceInOrder) {
  ServerProcess server(server_options());
  HttpClient c(server.port());
  std::vector<User> users;
  for (int i = 0; i < 6; ++i) users.push_back(make_user(c, "user" + std::to_string(i)));
  std::vector<const User*> others;
  for (std::size_t i = 1; i < users.size(); ++i) others.push_back(&users[i]);
  std::vector<std::string> rooms;
  for (int r = 0; r < 3; ++r) rooms.push_back(str(create_group(c, users[0], "room " + std::to_string(r), others), "id"));

  constexpr int kSenders = 4, kPerSender = 60;  // each sender writes to every room in turn
  const std::int64_t per_room = kSenders * kPerSender / static_cast<int>(rooms.size());
  std::atomic<bool> failed{false};

  // Receivers: each tracks the last seq per room, and every so often drops its connection and
  // resumes from there.
  constexpr int kReceivers = 8;
  std::vector<std::map<std::string, std::vector<std::int64_t>>> got(kReceivers);
  std::vector<std::thread> receivers;
  for (int r = 0; r < kReceivers; ++r) {
    receivers.emplace_back([&, r] {
      std::mt19937 rng(1234 + r);
      std::map<std::string, std::int64_t> last;
      for (const auto& room : rooms) last[room] = 0;
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      try {
        while (std::chrono::steady_clock::now() < deadline) {
          bool done = true;
          for (const auto& room : rooms) done = done && last[room] >= per_room;
          if (done) return;
          GatewayClient g(server.port(), users[1 + r % 5]);
          for (const auto& room : rooms) g.subscribe(room, last[room]);
          const int frames_before_drop = std::uniform_int_distribution<int>(5, 80)(rng);
          for (int n = 0; n < frames_before_drop; ++n) {
            auto next = g.next_frame(std::chrono::milliseconds(2000));
            if (!next) break;
            auto& f = *next;
            if (f.at("t").as_string() != "msg") continue;
            const std::string room(f.at("room").as_string());
            const auto seq = f.at("seq").as_int64();
            got[r][room].push_back(seq);
            last[room] = std::max(last[room], seq);
          }
          // Dropped without a goodbye half the time.
          if (rng() % 2) g.ws.close();
        }
      } catch (const std::exception& e) {
        ADD_FAILURE() << "receiver " << r << ": " << e.what();
        failed = true;
      }
    });
  }

  std::vector<std::thread> senders;
  for (int s = 0; s < kSenders; ++s) {
    senders.emplace_back([&, s] {
      HttpClient hc(server.port());
      for (int i = 0; i < kPerSender; ++i)
        send_text(hc, users[s], rooms[(s + i) % rooms.size()], "s" + std::to_string(s) + "-" + std::to_string(i), "hi");
    });
  }
  for (auto& t : senders) t.join();
  for (auto& t : receivers) t.join();
  ASSERT_FALSE(failed);

  for (int r = 0; r < kReceivers; ++r) {
    for (const auto& room : rooms) {
      const auto& seqs = got[r][room];
      ASSERT_EQ(seqs.size(), static_cast<std::size_t>(per_room)) << "receiver " << r << " room " << room;
      for (std::size_t i = 0; i < seqs.size(); ++i) ASSERT_EQ(seqs[i], static_cast<std::int64_t>(i + 1));
    }
  }
}

TEST(ChatDelivery, AfterKill9EveryAcknowledgedMessageIsThereAndClientsResumeWithoutGap) {
  TempDir data;
  std::string room;
  User ann, bob;
  std::map<std::string, std::pair<std::int64_t, std::string>> acked;  // client_id -> (seq, id)
  std::vector<std::int64_t> bob_seen;
  {
    ServerProcess server(server_options(data.path()));
    HttpClient c(server.port());
    ann = make_user(c, "ann");
    bob = make_user(c, "bob");
    room = str(open_direct(c, ann, bob), "id");
    GatewayClient b(server.port(), bob);
    b.subscribe(room, 0);
    GatewayClient a(server.port(), ann);

    // A stream of sends, not waiting for acks; once 100 are acknowledged, 300 more go out and the
    // server is killed with those in flight. (One thread: the test client is not thread-safe.)
    int sent = 0;
    auto send_some = [&](int n) {
      for (int i = 0; i < n; ++i, ++sent) a.send_message(room, "k" + std::to_string(sent), "message " + std::to_string(sent));
    };
    auto record = [&](const json::object& f) {
      if (f.at("t").as_string() != "ack") {
        ADD_FAILURE() << "unexpected frame " << json::serialize(f);
        return;
      }
      acked[std::string(f.at("client_id").as_string())] = {f.at("seq").as_int64(), std::string(f.at("id").as_string())};
    };
    send_some(150);
    while (acked.size() < 100) {
      auto f = a.next_frame(std::chrono::seconds(10));
      ASSERT_TRUE(f) << "only " << acked.size() << " acks";
      record(*f);
    }
    send_some(300);
    server.send_signal(SIGKILL);
    const bool killed = true;
    while (auto f = a.next_frame(std::chrono::seconds(2))) record(*f);  // what arrived before the kill
    ASSERT_TRUE(killed);
    bob_seen = b.collect_seqs(room, INT64_MAX, std::chrono::milliseconds(500));
  }
  ASSERT_GE(acked.size(), 100u);

  ServerProcess again(server_options(data.path()));
  HttpClient c(again.port());
  // Every acknowledged message is stored with the seq and id its ack named; seqs have no gap.
  std::map<std::string, std::pair<std::int64_t, std::string>> stored;
  std::string query = "after=0&limit=100";
  std::int64_t expect_seq = 1;
  for (;;) {
    auto page = messages(c, ann, room, query);
    for (const auto& m : page.at("items").as_array()) {
      EXPECT_EQ(m.at("seq").as_int64(), expect_seq++);
      stored[std::string(m.at("client_id").as_string())] = {m.at("seq").as_int64(), std::string(m.at("id").as_string())};
    }
    if (page.at("next").is_null()) break;
    query = "limit=100&cursor=" + std::string(page.at("next").as_string());
  }
  for (const auto& [client_id, ack] : acked) {
    auto it = stored.find(client_id);
    ASSERT_NE(it, stored.end()) << client_id << " was acknowledged but is gone";
    EXPECT_EQ(it->second, ack) << client_id;
  }

  // bob resumes from the last seq he saw and gets exactly the rest.
  const std::int64_t last = expect_seq - 1;
  const std::int64_t since = bob_seen.empty() ? 0 : bob_seen.back();
  for (std::size_t i = 0; i < bob_seen.size(); ++i) ASSERT_EQ(bob_seen[i], static_cast<std::int64_t>(i + 1));
  GatewayClient b(again.port(), bob);
  b.subscribe(room, since);
  auto rest = b.collect_seqs(room, last, std::chrono::seconds(10));
  ASSERT_EQ(rest.size(), static_cast<std::size_t>(last - since));
  for (std::size_t i = 0; i < rest.size(); ++i) EXPECT_EQ(rest[i], since + 1 + static_cast<std::int64_t>(i));
}

}  // namespace
}  // namespace parley::it
