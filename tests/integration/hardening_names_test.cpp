// Issue 11 item 8, names that lie: display names and group names refuse bidi controls, control
// characters and names with nothing visible (zero-width, no-break and ideographic spaces, Hangul
// fillers), are trimmed of every Unicode space, and are stored in NFC.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "chat_helpers.hpp"
#include "problem_assertions.hpp"

namespace parley::it {
namespace {

using namespace chat;

struct BadName {
  const char* text;
  const char* why;
};

const BadName kBadNames[] = {
    {"evil\u202egnp.exe", "must not contain bidirectional control characters"},
    {"\u202dAlice", "must not contain bidirectional control characters"},
    {"Al\u2066ice\u2069", "must not contain bidirectional control characters"},
    {"Alice\u200f", "must not contain bidirectional control characters"},
    {"a\u061cb", "must not contain bidirectional control characters"},
    {"\u200b", "must contain a visible character"},
    {"\u200c\u200d", "must contain a visible character"},
    {"\u2060\ufeff", "must contain a visible character"},
    {"\u00ad", "must contain a visible character"},
    {"\u00a0\u00a0", "must contain a visible character"},
    {"\u3000", "must contain a visible character"},
    {"\u3164", "must contain a visible character"},
    {"\u115f\u1160\uffa0", "must contain a visible character"},
    {"\u180e", "must contain a visible character"},
    {"   ", "must contain a visible character"},
    {"a\u0007b", "must not contain control characters"},
    {"a\u0085b", "must not contain control characters"},
};

std::string field_message(const Response& res, const char* field) {
  auto p = expect_problem(res, 422, "validation_failed");
  const auto* fields = p.if_contains("fields");
  if (!fields || !fields->is_object() || !fields->as_object().contains(field)) {
    ADD_FAILURE() << "no " << field << " in " << res;
    return {};
  }
  return std::string(fields->as_object().at(field).as_string());
}

TEST(HardeningNames, DisplayNamesThatLieAreRefused) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto ann = make_user(c, "ann");
  for (const auto& bad : kBadNames) {
    auto res = patch(c, "/v1/me", ann, json::object{{"display_name", bad.text}});
    EXPECT_EQ(field_message(res, "display_name"), bad.why) << bad.text;
  }
  // Nothing was stored.
  auto me = body_json(get(c, "/v1/me", ann));
  EXPECT_EQ(str(me, "display_name"), "ann");
  // Nor at sign-up.
  auto res = c.post_json("/v1/auth/signup", json::serialize(json::object{{"email", "eve@example.com"},
                                                                         {"username", "eve"},
                                                                         {"password", "correct horse 1"},
                                                                         {"display_name", "\u202eeve"}}));
  EXPECT_EQ(field_message(res, "display_name"), "must not contain bidirectional control characters");
}

TEST(HardeningNames, GroupNamesThatLieAreRefused) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto ann = make_user(c, "ann");
  for (const auto& bad : kBadNames) {
    auto res = post(c, "/v1/rooms", ann, json::object{{"kind", "group"}, {"name", bad.text}});
    EXPECT_EQ(field_message(res, "name"), bad.why) << bad.text;
  }
  auto rooms = body_json(get(c, "/v1/rooms", ann));
  EXPECT_TRUE(rooms.at("items").as_array().empty());
}

TEST(HardeningNames, NamesAreTrimmedAndStoredInNfc) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto ann = make_user(c, "ann");
  // A decomposed e + combining acute is stored as U+00E9; Unicode spaces around are trimmed.
  auto res = patch(c, "/v1/me", ann, json::object{{"display_name", "\u00a0Rene\u0301\u3000"}});
  ASSERT_EQ(res.result_int(), 200) << res;
  EXPECT_EQ(str(body_json(res), "display_name"), "Ren\u00e9");
  EXPECT_EQ(str(body_json(get(c, "/v1/users/" + ann.id, ann)), "display_name"), "Ren\u00e9");

  auto g = create_group(c, ann, "\u2003Cafe\u0301 ");
  EXPECT_EQ(str(g, "name"), "Caf\u00e9");
  EXPECT_EQ(str(room(c, ann, str(g, "id")), "name"), "Caf\u00e9");

  // Visible names with invisible characters inside (an emoji ZWJ sequence) stay as they are.
  const std::string family = "\U0001f468\u200d\U0001f469\u200d\U0001f467";
  res = patch(c, "/v1/me", ann, json::object{{"display_name", family}});
  ASSERT_EQ(res.result_int(), 200) << res;
  EXPECT_EQ(str(body_json(res), "display_name"), family);
  // The length counts what is stored: 64 decomposed é are 64 characters.
  std::string long_name;
  for (int i = 0; i < 64; ++i) long_name += "e\u0301";
  EXPECT_EQ(patch(c, "/v1/me", ann, json::object{{"display_name", long_name}}).result_int(), 200);
  EXPECT_EQ(field_message(patch(c, "/v1/me", ann, json::object{{"display_name", long_name + "x"}}), "display_name"),
            "must be 1 to 64 characters");
}

}  // namespace
}  // namespace parley::it
