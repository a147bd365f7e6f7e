// Chat input rules (422 field messages), the opaque cursors and the hand-written message JSON.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "chat/cursor.hpp"
#include "chat/message_json.hpp"
#include "chat/validation.hpp"
#include "core/problem.hpp"
#include "core/utf8.hpp"

namespace parley::chat {
namespace {

namespace json = boost::json;

// The 422 fields of a call that must fail validation.
template <class F>
json::object fields_of(F&& f) {
  try {
    f();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.problem().status, 422);
    EXPECT_EQ(e.problem().code, "validation_failed");
    return e.problem().fields;
  }
  ADD_FAILURE() << "expected a 422";
  return {};
}

json::object send_fields(const char* body) {
  return fields_of([&] { send_input_from_json(json::parse(body).as_object()); });
}

TEST(ChatValidation, Utf8) {
  EXPECT_TRUE(utf8::valid("plain"));
  EXPECT_TRUE(utf8::valid("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(utf8::valid("\xc3"));              // truncated
  EXPECT_FALSE(utf8::valid("\xc0\xaf"));          // overlong
  EXPECT_FALSE(utf8::valid("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(utf8::valid("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(utf8::valid("\xff"));
}

TEST(ChatValidation, Body) {
  EXPECT_EQ(body_problem("hello"), "");
  EXPECT_NE(body_problem(""), "");
  EXPECT_NE(body_problem(" \n\t "), "");
  EXPECT_EQ(body_problem(std::string(16384, 'a')), "");
  EXPECT_NE(body_problem(std::string(16385, 'a')), "");
  EXPECT_NE(body_problem("bad \xff"), "");
}

TEST(ChatValidation, CiphertextIvClientIdAndName) {
  EXPECT_EQ(ciphertext_problem("SGVsbG8="), "");
  EXPECT_EQ(ciphertext_problem("SGVsbG8_-w"), "");
  EXPECT_NE(ciphertext_problem("not base64!"), "");
  EXPECT_NE(ciphertext_problem("==="), "");
  EXPECT_EQ(ciphertext_problem(std::string(65536, 'A')), "");
  EXPECT_NE(ciphertext_problem(std::string(65537, 'A')), "");
  EXPECT_EQ(iv_problem(std::string(64, 'A')), "");
  EXPECT_NE(iv_problem(std::string(65, 'A')), "");
  EXPECT_NE(iv_problem(""), "");
  EXPECT_EQ(client_id_problem("c-1.a_b:9"), "");
  EXPECT_NE(client_id_problem(""), "");
  EXPECT_NE(client_id_problem(std::string(65, 'a')), "");
  EXPECT_NE(client_id_problem("has space"), "");
  EXPECT_EQ(room_name_problem("Friends \xf0\x9f\x98\x80"), "");
  EXPECT_EQ(room_name_problem(std::string(100, 'x')), "");
  EXPECT_NE(room_name_problem(std::string(101, 'x')), "");
  EXPECT_EQ(room_name_problem("bad \xff"), "must be valid UTF-8");
  std::string accents;
  for (int i = 0; i < 100; ++i) accents += "\xc3\xa9";  // 100 characters, 200 bytes
  EXPECT_EQ(room_name_problem(accents), "");
  EXPECT_NE(room_name_problem(accents + "\xc3\xa9"), "");
  EXPECT_NE(room_name_problem("   "), "");
  EXPECT_NE(room_name_problem("a\nb"), "");
}

TEST(ChatValidation, SendBodies) {
  auto ok = send_input_from_json(
      json::parse(R"({"op":"send","room":"1","client_id":"c1","body":"hi","reply_to":"42","attachments":["7",8],"view_once":true})")
          .as_object());
  EXPECT_EQ(ok.client_id, "c1");
  EXPECT_EQ(ok.body, "hi");
  ASSERT_TRUE(ok.reply_to);
  EXPECT_EQ(ok.reply_to->value, 42);
  EXPECT_EQ(ok.attachments, (std::vector<std::int64_t>{7, 8}));
  EXPECT_TRUE(ok.view_once);
  auto e2e = send_input_from_json(json::parse(R"({"client_id":"c2","ciphertext":"AAAA","iv":"BBBB"})").as_object());
  EXPECT_EQ(e2e.ciphertext, "AAAA");

  EXPECT_TRUE(send_fields(R"({"body":"hi"})").contains("client_id"));
  EXPECT_TRUE(send_fields(R"({"client_id":"c"})").contains("body"));
  EXPECT_TRUE(send_fields(R"({"client_id":"c","body":"x","ciphertext":"AAAA","iv":"AA"})").contains("body"));
  EXPECT_TRUE(send_fields(R"({"client_id":"c","ciphertext":"AAAA"})").contains("iv"));
  EXPECT_TRUE(send_fields(R"({"client_id":"c","body":"x","iv":"AA"})").contains("iv"));
  EXPECT_TRUE(send_fields(R"({"client_id":"c","body":7})").contains("body"));
  EXPECT_TRUE(send_fields(R"({"client_id":"c","body":"x","reply_to":"abc"})").contains("reply_to"));
  EXPECT_TRUE(send_fields(R"({"client_id":"c","body":"x","attachments":"1"})").contains("attachments"));
  EXPECT_TRUE(send_fields(R"({"client_id":"c","body":"x","attachments":["1","2","3","4","5","6","7","8","9","10","11"]})")
                  .contains("attachments"));
  EXPECT_TRUE(send_fields(R"({"client_id":"c","body":"x","attachments":["-1"]})").contains("attachments"));
  EXPECT_TRUE(send_fields(R"({"client_id":"c","body":"x","view_once":"yes"})").contains("view_once"));
  // Several problems at once, one 422.
  auto many = send_fields(R"({"client_id":"bad id","body":"   "})");
  EXPECT_TRUE(many.contains("client_id"));
  EXPECT_TRUE(many.contains("body"));
}

TEST(ChatValidation, EditBodies) {
  auto e = edit_input_from_json(json::parse(R"({"body":"new"})").as_object());
  EXPECT_EQ(e.body, "new");
  auto f = fields_of([] { edit_input_from_json(json::parse(R"({"body":"x","client_id":"c"})").as_object()); });
  EXPECT_TRUE(f.contains("client_id"));
  f = fields_of([] { edit_input_from_json(json::parse(R"({})").as_object()); });
  EXPECT_TRUE(f.contains("body"));
}

TEST(ChatCursor, MessageCursorsRoundTripAndRejectForgeries) {
  for (bool after : {false, true}) {
    PageQuery q{after, 120, 10};
    auto decoded = decode_message_cursor(encode_message_cursor(q));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->after, after);
    EXPECT_EQ(decoded->seq, 120);
  }
  EXPECT_FALSE(decode_message_cursor(""));
  EXPECT_FALSE(decode_message_cursor("120"));
  EXPECT_FALSE(decode_message_cursor("!!!"));
  EXPECT_FALSE(decode_message_cursor(encode_room_cursor({5})));
  EXPECT_FALSE(decode_message_cursor("bTE6eDoxMjA"));  // "m1:x:120"
  EXPECT_FALSE(decode_message_cursor("bTE6YjotMQ"));   // "m1:b:-1"
}

TEST(ChatCursor, RoomCursorsRoundTrip) {
  auto c = decode_room_cursor(encode_room_cursor({7311825932910821376}));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->activity, 7311825932910821376);
  EXPECT_FALSE(decode_room_cursor("cjI6LTE"));  // "r2:-1"
  EXPECT_FALSE(decode_room_cursor("cjE6MjAyNi0wMS0wMXw1"));  // an old "r1:2026-01-01|5"
  EXPECT_FALSE(decode_room_cursor(encode_message_cursor({false, 1, 1})));
  EXPECT_FALSE(decode_room_cursor("junk"));
}

Message sample() {
  Message m;
  m.id = MessageId{11};
  m.room = RoomId{22};
  m.seq = 3;
  m.sender = UserId{5};
  m.client_id = "c1";
  m.body = "he said \"hi\"\n\x01\\ caf\xc3\xa9";
  m.attachments_json = R"(["9"])";
  m.created_at = "2026-01-01T00:00:00.000Z";
  return m;
}

TEST(ChatJson, MessageJsonIsValidAndEscaped) {
  auto v = json::parse(message_json(sample(), Audience{UserId{6}})).as_object();
  EXPECT_EQ(v.at("id").as_string(), "11");
  EXPECT_EQ(v.at("room_id").as_string(), "22");
  EXPECT_EQ(v.at("seq").as_int64(), 3);
  EXPECT_EQ(v.at("sender_id").as_string(), "5");
  EXPECT_EQ(v.at("body").as_string(), "he said \"hi\"\n\x01\\ caf\xc3\xa9");
  EXPECT_EQ(v.at("attachments").as_array().size(), 1u);
  EXPECT_TRUE(v.at("reply_to").is_null());
  EXPECT_TRUE(v.at("edited_at").is_null());
  EXPECT_FALSE(v.at("deleted").as_bool());
  EXPECT_FALSE(v.contains("viewed"));
}

TEST(ChatJson, ViewOnceContentOnlyForTheSenderOrWhenRevealed) {
  Message m = sample();
  m.view_once = true;
  auto recipient = json::parse(message_json(m, Audience{UserId{6}})).as_object();
  EXPECT_FALSE(recipient.contains("body"));
  EXPECT_FALSE(recipient.at("viewed").as_bool());
  EXPECT_TRUE(recipient.at("view_once").as_bool());
  auto sender = json::parse(message_json(m, Audience{UserId{5}})).as_object();
  EXPECT_TRUE(sender.contains("body"));
  EXPECT_FALSE(sender.contains("viewed"));
  auto shared = json::parse(message_json(m, Audience{})).as_object();
  EXPECT_FALSE(shared.contains("body"));
  auto revealed = json::parse(message_json(m, Audience{UserId{6}, true})).as_object();
  EXPECT_TRUE(revealed.contains("body"));
  EXPECT_TRUE(revealed.at("viewed").as_bool());
}

TEST(ChatJson, FrameFromTailEqualsTheFullFrame) {
  Message m = sample();
  std::string tail;
  append_message_tail(tail, m, Audience{});
  EXPECT_EQ(msg_frame_from_tail(m.room, m.seq, m.id, tail), event_frame("msg", m.seq, m, Audience{}));
  auto frame = json::parse(event_frame("edit", 9, m, Audience{})).as_object();
  EXPECT_EQ(frame.at("t").as_string(), "edit");
  EXPECT_EQ(frame.at("room").as_string(), "22");
  EXPECT_EQ(frame.at("seq").as_int64(), 9);
  EXPECT_EQ(frame.at("message").at("seq").as_int64(), 3);
}

TEST(ChatJson, TombstoneHasNoContent) {
  Message m = sample();
  m.deleted = true;
  m.body.reset();
  auto v = json::parse(message_json(m, Audience{UserId{5}})).as_object();
  EXPECT_TRUE(v.at("deleted").as_bool());
  EXPECT_FALSE(v.contains("body"));
  EXPECT_FALSE(v.contains("ciphertext"));
}

}  // namespace
}  // namespace parley::chat
