// Five rounds of `kill -9` in the middle of a send stream on one data folder: every acknowledged
// message survives every round with the seq and id its ack named, the room's seqs stay gapless,
// no message is stored twice, and a client resending after the crash gets the original back.
#include <gtest/gtest.h>

#include <csignal>
#include <map>
#include <set>
#include <string>

#include <boost/json.hpp>

#include "chat_helpers.hpp"
#include "gateway_helpers.hpp"
#include "http_client.hpp"
#include "server_process.hpp"
#include "temp_dir.hpp"

namespace parley::it {
namespace {

namespace json = boost::json;
using namespace chat;

ServerOptions on(const std::filesystem::path& data) {
  auto o = fast_server();
  o.args.insert(o.args.end(), {"--ws-frame-rate", "100000"});
  o.data_dir = data;
  return o;
}

TEST(HardeningKill9, FiveRoundsLoseNothingAcknowledgedAndStoreNothingTwice) {
  TempDir data;
  User ann, bob;
  std::string room;
  {
    ServerProcess server(on(data.path()));
    HttpClient c(server.port());
    ann = make_user(c, "ann");
    bob = make_user(c, "bob");
    room = str(open_direct(c, ann, bob), "id");
  }
  std::map<std::string, std::pair<std::int64_t, std::string>> acked;  // client_id -> (seq, id)
  std::vector<std::string> sent;
  for (int round = 0; round < 5; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    ServerProcess server(on(data.path()));
    GatewayClient a(server.port(), ann);
    const std::size_t before = acked.size();
    const std::size_t kill_after = 20 + 15 * static_cast<std::size_t>(round);  // a different moment each round
    auto send_some = [&](int n) {
      for (int i = 0; i < n; ++i) {
        sent.push_back("r" + std::to_string(round) + "-" + std::to_string(i + static_cast<int>(sent.size())));
        a.send_message(room, sent.back(), "message " + sent.back());
      }
    };
    auto record = [&](const json::object& f) {
      if (f.at("t").as_string() != "ack") return;
      acked[std::string(f.at("client_id").as_string())] = {f.at("seq").as_int64(), std::string(f.at("id").as_string())};
    };
    send_some(static_cast<int>(kill_after) + 10);
    while (acked.size() < before + kill_after) {
      auto f = a.next_frame(std::chrono::seconds(10));
      ASSERT_TRUE(f) << "only " << acked.size() - before << " acks this round";
      record(*f);
    }
    send_some(200);  // in flight when the server dies
    server.send_signal(SIGKILL);
    while (auto f = a.next_frame(std::chrono::seconds(2))) record(*f);
  }

  ServerProcess server(on(data.path()));
  HttpClient c(server.port());
  std::map<std::string, std::pair<std::int64_t, std::string>> stored;
  std::string query = "after=0&limit=100";
  std::int64_t expect_seq = 1;
  std::size_t items = 0;
  for (;;) {
    auto page = messages(c, ann, room, query);
    for (const auto& m : page.at("items").as_array()) {
      ++items;
      EXPECT_EQ(num(m, "seq"), expect_seq++) << "a gap or a duplicate seq";
      stored[str(m, "client_id")] = {num(m, "seq"), str(m, "id")};
    }
    if (page.at("next").is_null()) break;
    query = "limit=100&cursor=" + std::string(page.at("next").as_string());
  }
  EXPECT_EQ(items, stored.size()) << "a client_id stored twice";
  for (const auto& [client_id, ack] : acked) {
    auto it = stored.find(client_id);
    ASSERT_NE(it, stored.end()) << client_id << " was acknowledged but is gone";
    EXPECT_EQ(it->second, ack) << client_id;
  }
  // Resending after the crash: an acknowledged message comes back as it was (200), one that was
  // lost in flight is stored now (201) — never twice.
  int resent_stored = 0, resent_lost = 0;
  for (const auto& client_id : sent) {
    auto it = stored.find(client_id);
    int& resent = it != stored.end() ? resent_stored : resent_lost;
    if (resent >= 20) continue;
    ++resent;
    json::value body = {{"client_id", client_id}, {"body", "message " + client_id}};
    auto res = post(c, "/v1/rooms/" + room + "/messages", ann, body);
    if (it != stored.end()) {
      ASSERT_EQ(res.result_int(), 200) << client_id << ": " << res.body();
      EXPECT_EQ(num(body_json(res), "seq"), it->second.first);
    } else {
      ASSERT_EQ(res.result_int(), 201) << client_id << ": " << res.body();
    }
  }
  EXPECT_EQ(resent_stored, 20);
  EXPECT_GT(resent_lost, 0) << "no send was in flight at a kill: the test proves nothing";
}

}  // namespace
}  // namespace parley::it
