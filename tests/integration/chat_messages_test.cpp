// Messages end to end: send (text and ciphertext), idempotent resend by client_id, 422 fields,
// replies, cursor pagination both ways, edits and deletes as events with a gapless seq.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "chat_helpers.hpp"
#include "problem_assertions.hpp"

namespace parley::it {
namespace {

using namespace chat;

struct Pair {
  ServerProcess server{fast_server()};
  HttpClient c{server.port()};
  User ann = make_user(c, "ann");
  User bob = make_user(c, "bob");
  std::string room = str(open_direct(c, ann, bob), "id");
  std::string path = "/v1/rooms/" + room + "/messages";
};

TEST(ChatMessages, SendReturnsTheMessageAndTheSameClientIdReturnsTheOriginal) {
  Pair p;
  auto m = send_text(p.c, p.ann, p.room, "c-1", "hello bob", 201);
  EXPECT_EQ(str(m, "room_id"), p.room);
  EXPECT_EQ(num(m, "seq"), 1);
  EXPECT_EQ(str(m, "sender_id"), p.ann.id);
  EXPECT_EQ(str(m, "client_id"), "c-1");
  EXPECT_EQ(str(m, "body"), "hello bob");
  EXPECT_TRUE(m.at("reply_to").is_null());
  EXPECT_TRUE(m.at("attachments").as_array().empty());
  EXPECT_FALSE(m.at("view_once").as_bool());
  EXPECT_TRUE(m.at("edited_at").is_null());
  EXPECT_FALSE(m.at("deleted").as_bool());
  EXPECT_FALSE(str(m, "created_at").empty());

  // Same client_id (even with another body): 200 and the original, no new seq.
  auto again = send_text(p.c, p.ann, p.room, "c-1", "something else", 200);
  EXPECT_EQ(str(again, "id"), str(m, "id"));
  EXPECT_EQ(str(again, "body"), "hello bob");
  EXPECT_EQ(num(room(p.c, p.ann, p.room), "last_seq"), 1);
  // The same client_id from another sender is another message.
  EXPECT_EQ(num(send_text(p.c, p.bob, p.room, "c-1", "hi ann", 201), "seq"), 2);
}

TEST(ChatMessages, CiphertextRepliesAndAttachments) {
  Pair p;
  auto first = send_text(p.c, p.ann, p.room, "a", "question?");
  auto res = post(p.c, p.path, p.bob,
                  json::object{{"client_id", "b"},
                               {"ciphertext", "U2VjcmV0IGFuc3dlcg=="},
                               {"iv", "AAECAwQFBgcICQoL"},
                               {"reply_to", str(first, "id")},
                               {"attachments", json::array{"7311825932910821376", "17"}}});
  ASSERT_EQ(res.result_int(), 201) << res;
  auto m = body_json(res).as_object();
  EXPECT_EQ(str(m, "ciphertext"), "U2VjcmV0IGFuc3dlcg==");
  EXPECT_EQ(str(m, "iv"), "AAECAwQFBgcICQoL");
  EXPECT_FALSE(m.contains("body"));
  EXPECT_EQ(str(m, "reply_to"), str(first, "id"));
  EXPECT_EQ(json::serialize(m.at("attachments")), R"(["7311825932910821376","17"])");
  // Stored as sent.
  auto page = messages(p.c, p.ann, p.room);
  EXPECT_EQ(json::serialize(page.at("items").as_array()[0]), json::serialize(m));

  // reply_to must be a message of the same room.
  auto other = create_group(p.c, p.ann, "elsewhere");
  auto foreign = send_text(p.c, p.ann, str(other, "id"), "x", "other room");
  res = post(p.c, p.path, p.ann, json::object{{"client_id", "c"}, {"body", "re"}, {"reply_to", str(foreign, "id")}});
  EXPECT_TRUE(expect_problem(res, 422, "validation_failed").at("fields").as_object().contains("reply_to"));
  // ... and the failed send used no seq.
  EXPECT_EQ(num(send_text(p.c, p.ann, p.room, "d", "next"), "seq"), 3);
}

TEST(ChatMessages, ValidationFailuresNameTheirFields) {
  Pair p;
  auto fields = [&](json::object body) {
    auto problem = expect_problem(post(p.c, p.path, p.ann, body), 422, "validation_failed");
    return problem.contains("fields") ? problem.at("fields").as_object() : json::object{};
  };
  EXPECT_TRUE(fields({{"body", "hi"}}).contains("client_id"));
  EXPECT_TRUE(fields({{"client_id", "has space"}, {"body", "hi"}}).contains("client_id"));
  EXPECT_TRUE(fields({{"client_id", std::string(65, 'a')}, {"body", "hi"}}).contains("client_id"));
  EXPECT_TRUE(fields({{"client_id", "c"}}).contains("body"));
  EXPECT_TRUE(fields({{"client_id", "c"}, {"body", "   "}}).contains("body"));
  EXPECT_TRUE(fields({{"client_id", "c"}, {"body", std::string(16385, 'a')}}).contains("body"));
  EXPECT_TRUE(fields({{"client_id", "c"}, {"body", "x"}, {"ciphertext", "AAAA"}, {"iv", "AA"}}).contains("body"));
  EXPECT_TRUE(fields({{"client_id", "c"}, {"ciphertext", "AAAA"}}).contains("iv"));
  EXPECT_TRUE(fields({{"client_id", "c"}, {"ciphertext", "not base64!"}, {"iv", "AA"}}).contains("ciphertext"));
  EXPECT_TRUE(fields({{"client_id", "c"}, {"ciphertext", "AAAA"}, {"iv", std::string(65, 'A')}}).contains("iv"));
  json::array many;
  for (int i = 0; i < 11; ++i) many.push_back(json::value(std::to_string(i + 1)));
  EXPECT_TRUE(fields({{"client_id", "c"}, {"body", "x"}, {"attachments", many}}).contains("attachments"));
  EXPECT_TRUE(fields({{"client_id", "c"}, {"body", "x"}, {"reply_to", "nope"}}).contains("reply_to"));
  // 16384 bytes is allowed.
  EXPECT_EQ(post(p.c, p.path, p.ann, json::object{{"client_id", "max"}, {"body", std::string(16384, 'a')}}).result_int(),
            201);
  // Nothing else was stored.
  EXPECT_EQ(num(room(p.c, p.ann, p.room), "last_seq"), 1);
}

TEST(ChatMessages, PaginationBothWaysWithCursors) {
  Pair p;
  for (int i = 1; i <= 7; ++i) send_text(p.c, i % 2 ? p.ann : p.bob, p.room, "m" + std::to_string(i), "#" + std::to_string(i));

  // No bound: the newest page, newest first.
  auto page = messages(p.c, p.bob, p.room, "limit=3");
  EXPECT_EQ(seqs(page), (std::vector<std::int64_t>{7, 6, 5}));
  ASSERT_TRUE(page.at("next").is_string());
  page = messages(p.c, p.bob, p.room, "limit=3&cursor=" + str(page, "next"));
  EXPECT_EQ(seqs(page), (std::vector<std::int64_t>{4, 3, 2}));
  page = messages(p.c, p.bob, p.room, "limit=3&cursor=" + str(page, "next"));
  EXPECT_EQ(seqs(page), (std::vector<std::int64_t>{1}));
  EXPECT_TRUE(page.at("next").is_null());

  // after: oldest first.
  page = messages(p.c, p.bob, p.room, "after=2&limit=2");
  EXPECT_EQ(seqs(page), (std::vector<std::int64_t>{3, 4}));
  page = messages(p.c, p.bob, p.room, "limit=2&cursor=" + str(page, "next"));
  EXPECT_EQ(seqs(page), (std::vector<std::int64_t>{5, 6}));
  page = messages(p.c, p.bob, p.room, "limit=2&cursor=" + str(page, "next"));
  EXPECT_EQ(seqs(page), (std::vector<std::int64_t>{7}));
  EXPECT_TRUE(page.at("next").is_null());

  EXPECT_EQ(seqs(messages(p.c, p.bob, p.room, "before=3")), (std::vector<std::int64_t>{2, 1}));
  EXPECT_EQ(seqs(messages(p.c, p.bob, p.room, "after=0&limit=100")).size(), 7u);
  EXPECT_EQ(seqs(messages(p.c, p.bob, p.room, "after=7")).size(), 0u);
  EXPECT_EQ(seqs(messages(p.c, p.bob, p.room)).size(), 7u);  // default limit 50

  for (const char* bad : {"limit=0", "limit=101", "limit=x", "before=x", "after=-1", "before=1&after=2", "cursor=zzz"})
    expect_problem(get(p.c, p.path + "?" + bad, p.bob), 422, "validation_failed");
}

TEST(ChatMessages, EditsAndDeletesAreEventsWithTheirOwnGaplessSeq) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto own = make_user(c, "owner1"), adm = make_user(c, "admin1"), mem = make_user(c, "member1"),
       out = make_user(c, "outsider");
  auto g = create_group(c, own, "Edits", {&adm, &mem});
  const auto id = str(g, "id");
  ASSERT_EQ(patch(c, "/v1/rooms/" + id + "/members/" + adm.id, own, json::object{{"role", "admin"}}).result_int(), 204);
  auto m1 = send_text(c, mem, id, "1", "first");   // seq 1
  auto m2 = send_text(c, mem, id, "2", "second");  // seq 2
  const auto m1_path = "/v1/messages/" + str(m1, "id");
  const auto m2_path = "/v1/messages/" + str(m2, "id");

  // Only the sender edits; non-members get 404.
  expect_problem(patch(c, m1_path, adm, json::object{{"body", "hacked"}}), 403, "forbidden");
  expect_problem(patch(c, m1_path, out, json::object{{"body", "hacked"}}), 404, "not_found");
  expect_problem(patch(c, m1_path, mem, json::object{{"body", ""}}), 422, "validation_failed");
  expect_problem(patch(c, m1_path, mem, json::object{{"body", "x"}, {"seq", 1}}), 422, "validation_failed");
  auto res = patch(c, m1_path, mem, json::object{{"body", "first, edited"}});  // seq 3
  ASSERT_EQ(res.result_int(), 200) << res;
  auto edited = body_json(res).as_object();
  EXPECT_EQ(str(edited, "body"), "first, edited");
  EXPECT_EQ(num(edited, "seq"), 1);  // a message keeps the seq of its creation
  EXPECT_TRUE(edited.at("edited_at").is_string());

  // Delete: another member may not; an admin may; the sender may.
  expect_problem(del(c, m1_path, out), 404, "not_found");
  auto m3 = send_text(c, own, id, "3", "third");  // seq 4
  expect_problem(del(c, "/v1/messages/" + str(m3, "id"), mem), 403, "forbidden");
  EXPECT_EQ(del(c, m1_path, adm).result_int(), 204);  // seq 5
  EXPECT_EQ(del(c, m1_path, adm).result_int(), 204);  // already a tombstone: no new event
  EXPECT_EQ(del(c, m2_path, mem).result_int(), 204);  // seq 6
  expect_problem(patch(c, m2_path, mem, json::object{{"body", "undead"}}), 409, "message_deleted");
  auto m4 = send_text(c, adm, id, "4", "fourth");  // seq 7
  EXPECT_EQ(num(m4, "seq"), 7);

  auto r = room(c, own, id);
  EXPECT_EQ(num(r, "last_seq"), 7);
  auto page = messages(c, own, id, "after=0");
  EXPECT_EQ(seqs(page), (std::vector<std::int64_t>{1, 2, 4, 7}));
  const auto& tomb = page.at("items").as_array()[0].as_object();
  EXPECT_TRUE(tomb.at("deleted").as_bool());
  EXPECT_FALSE(tomb.contains("body"));
  EXPECT_EQ(str(tomb, "sender_id"), mem.id);
  expect_problem(patch(c, "/v1/messages/999", mem, json::object{{"body", "x"}}), 404, "not_found");
  expect_problem(del(c, "/v1/messages/abc", mem), 404, "not_found");
}

}  // namespace
}  // namespace parley::it
