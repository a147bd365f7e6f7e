// Issue 11, the real-time gateway: amplification by `sub` (duplicates, re-subscriptions, too many
// rooms), integer fields taken strictly (frames, bodies, query parameters), sockets closed with
// 4401 when their session ends, and every frame counted toward the frame-rate limit (pings and
// fragments too), with fragmented messages cut when they never finish.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <sodium.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "accounts_helpers.hpp"
#include "chat_helpers.hpp"
#include "core/encoding.hpp"
#include "gateway_helpers.hpp"
#include "problem_assertions.hpp"
#include "run_command.hpp"

namespace parley::it {
namespace {

using namespace chat;
using std::chrono::milliseconds;
using std::chrono::seconds;

ServerOptions server_with(std::vector<std::string> extra) {
  auto o = fast_server();
  o.args.insert(o.args.end(), extra.begin(), extra.end());
  return o;
}

std::string sub_frame(const std::vector<std::pair<std::string, std::string>>& rooms) {
  // Built by hand: each since is written as given (a number, a string, true, ...).
  std::string out = R"({"op":"sub","rooms":[)";
  for (std::size_t i = 0; i < rooms.size(); ++i) {
    if (i) out += ',';
    out += R"({"room":")" + rooms[i].first + '"';
    if (!rooms[i].second.empty()) out += R"(,"since":)" + rooms[i].second;
    out += '}';
  }
  return out + "]}";
}

// Reads frames until the pong with this id (every frame sent before the ping has arrived),
// counting the text bytes received; returns the frames before the pong but presence.
std::vector<json::object> until_pong(WsClient& ws, const std::string& id, std::size_t* bytes = nullptr) {
  ws.send_text(R"({"op":"ping","id":")" + id + R"("})");
  std::vector<json::object> frames;
  for (;;) {
    auto text = ws.read_text();
    if (bytes) *bytes += text.size();
    auto f = json::parse(text).as_object();
    if (f.at("t").as_string() == "pong" && f.at("id").as_string() == id) return frames;
    if (f.at("t").as_string() == "presence") continue;  // others coming and going, whenever
    frames.push_back(std::move(f));
  }
}

// Reads until `answers` subscription answers (subscribed, or an error naming a room) have come,
// then until_pong for anything after them. A pong is no barrier: a replay waits for the store
// while pings are answered at once (PostgreSQL is a round trip away), so the answers are awaited.
std::vector<json::object> until_answered(WsClient& ws, const std::string& id, int answers,
                                         std::size_t* bytes = nullptr) {
  std::vector<json::object> frames;
  while (answers > 0) {
    auto text = ws.read_text();
    if (bytes) *bytes += text.size();
    auto f = json::parse(text).as_object();
    const auto t = f.at("t").as_string();
    if (t == "presence") continue;
    if (t == "subscribed" || (t == "error" && f.contains("ref"))) --answers;
    frames.push_back(std::move(f));
  }
  for (auto& f : until_pong(ws, id, bytes)) frames.push_back(std::move(f));
  return frames;
}

void fill_room(std::uint16_t port, const User& u, const std::string& room, int n) {
  GatewayClient w(port, u);
  for (int i = 0; i < n; ++i) w.send_message(room, "fill" + std::to_string(i), "message number " + std::to_string(i));
  for (int acks = 0; acks < n;) {
    auto f = w.next_frame(seconds(20));
    ASSERT_TRUE(f) << "after " << acks << " acks";
    if (f->at("t").as_string() == "ack") ++acks;
  }
}

// ---- 3. amplification -----------------------------------------------------------------------

TEST(HardeningGatewayAmplification, ARoomNamedManyTimesInOneSubIsReplayedOnce) {
  ServerProcess server(server_with({"--ws-frame-rate", "100000"}));
  HttpClient c(server.port());
  auto ann = make_user(c, "ann");
  auto bob = make_user(c, "bob");
  const auto room = str(open_direct(c, ann, bob), "id");
  constexpr int kMessages = 200;
  fill_room(server.port(), ann, room, kMessages);

  // One replay, for scale.
  GatewayClient once(server.port(), bob);
  std::size_t one_replay = 0;
  once.ws.send_text(sub_frame({{room, "0"}}));
  until_answered(once.ws, "once", 1, &one_replay);
  ASSERT_GT(one_replay, 200u * 50);

  GatewayClient b(server.port(), bob);
  std::vector<std::pair<std::string, std::string>> dup(2500, {room, "0"});
  const auto frame = sub_frame(dup);
  ASSERT_LT(frame.size(), 128u * 1024);
  b.ws.send_text(frame);
  std::size_t bytes = 0;
  auto frames = until_answered(b.ws, "p1", 1, &bytes);
  std::map<std::int64_t, int> seen;
  int subscribed = 0;
  for (const auto& f : frames) {
    if (f.at("t").as_string() == "msg") ++seen[f.at("seq").as_int64()];
    if (f.at("t").as_string() == "subscribed") ++subscribed;
  }
  EXPECT_EQ(subscribed, 1);
  EXPECT_EQ(static_cast<int>(seen.size()), kMessages);
  for (const auto& [seq, n] : seen) EXPECT_EQ(n, 1) << "seq " << seq;
  EXPECT_LT(bytes, 2 * one_replay) << "one replay is " << one_replay << " bytes";

  // Again, on the open connection: answered with where it stands, no second replay.
  b.ws.send_text(sub_frame({{room, "0"}, {room, ""}}));
  frames = until_answered(b.ws, "p2", 1);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].at("t").as_string(), "subscribed");
  EXPECT_EQ(frames[0].at("last_seq").as_int64(), kMessages);

  // After an unsub, a sub is a new subscription and replays (the SDK's gap recovery relies on it).
  b.ws.send_text(R"({"op":"unsub","rooms":[")" + room + R"("]})");
  b.ws.send_text(sub_frame({{room, std::to_string(kMessages - 5)}}));
  frames = until_answered(b.ws, "p3", 1);
  int msgs = 0;
  for (const auto& f : frames) msgs += f.at("t").as_string() == "msg";
  EXPECT_EQ(msgs, 5);
}

TEST(HardeningGatewayAmplification, SubscriptionsBeyondWsMaxRoomsAreRefusedWithTooManyRooms) {
  ServerProcess server(server_with({"--ws-max-rooms", "3"}));
  HttpClient c(server.port());
  auto ann = make_user(c, "ann");
  std::vector<std::string> rooms;
  for (int i = 0; i < 4; ++i) rooms.push_back(str(create_group(c, ann, "club " + std::to_string(i)), "id"));
  GatewayClient a(server.port(), ann);
  a.ws.send_text(sub_frame({{rooms[0], "0"}, {rooms[1], "0"}, {rooms[0], ""}, {rooms[2], ""}, {rooms[3], "0"}}));
  auto frames = until_answered(a.ws, "p1", 4);
  std::set<std::string> subscribed, refused;
  for (const auto& f : frames) {
    if (f.at("t").as_string() == "subscribed") subscribed.insert(std::string(f.at("room").as_string()));
    if (f.at("t").as_string() == "error") {
      EXPECT_EQ(f.at("code").as_string(), "too_many_rooms") << f;
      refused.insert(std::string(f.at("ref").as_string()));
    }
  }
  EXPECT_EQ(subscribed, (std::set<std::string>{rooms[0], rooms[1], rooms[2]}));
  EXPECT_EQ(refused, (std::set<std::string>{rooms[3]}));

  // A room already held does not count again; after an unsub there is room for another.
  a.ws.send_text(sub_frame({{rooms[1], "0"}}));
  frames = until_answered(a.ws, "p2", 1);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].at("t").as_string(), "subscribed");
  a.ws.send_text(R"({"op":"unsub","rooms":[")" + rooms[0] + R"("]})");
  a.ws.send_text(sub_frame({{rooms[3], "0"}}));
  frames = until_answered(a.ws, "p3", 1);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].at("t").as_string(), "subscribed") << frames[0];
}

// ---- 4. integers taken strictly ---------------------------------------------------------------

TEST(HardeningGatewayIntegers, ASinceOrSeqThatIsNotAJsonIntegerInRangeIsAMalformedFrame) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto ann = make_user(c, "ann");
  auto bob = make_user(c, "bob");
  const auto room = str(open_direct(c, ann, bob), "id");
  send_text(c, ann, room, "c1", "hello");
  GatewayClient a(server.port(), ann);
  for (const std::string bad : {R"("5")", "1.5", "true", "1e30", "18446744073709551616", "9223372036854775808",
                                "-1", "5.0", "[]", "{}"}) {
    a.ws.send_text(sub_frame({{room, bad}}));
    auto frames = until_answered(a.ws, "p", 1);
    ASSERT_EQ(frames.size(), 1u) << bad;
    EXPECT_EQ(frames[0].at("t").as_string(), "error") << bad << ": " << frames[0];
    EXPECT_EQ(frames[0].at("code").as_string(), "malformed_frame") << bad;
    EXPECT_EQ(frames[0].at("ref").as_string(), room) << bad;

    a.ws.send_text(R"({"op":"read","room":")" + room + R"(","seq":)" + bad + "}");
    frames = until_pong(a.ws, "q");
    ASSERT_EQ(frames.size(), 1u) << bad;
    EXPECT_EQ(frames[0].at("code").as_string(), "malformed_frame") << bad;
    a.ws.send_text(R"({"op":"delivered","room":")" + room + R"(","seq":)" + bad + "}");
    frames = until_pong(a.ws, "r");
    ASSERT_EQ(frames.size(), 1u) << bad;
    EXPECT_EQ(frames[0].at("code").as_string(), "malformed_frame") << bad;
  }
  // The largest seq is a seq: nothing beyond the newest to replay.
  a.ws.send_text(sub_frame({{room, "9223372036854775807"}}));
  auto frames = until_answered(a.ws, "s", 1);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].at("t").as_string(), "subscribed") << frames[0];
  EXPECT_EQ(frames[0].at("last_seq").as_int64(), 1);
}

TEST(HardeningGatewayIntegers, RestIntegerFieldsAndQueryParametersAreNeverCoerced) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto ann = make_user(c, "ann");
  auto bob = make_user(c, "bob");
  const auto room = str(open_direct(c, ann, bob), "id");
  send_text(c, ann, room, "c1", "hello");
  for (const std::string bad : {R"("1")", "1.5", "true", "1e30", "18446744073709551616", "-1", "1.0"}) {
    for (const std::string marker : {"read", "delivered"}) {
      auto res = c.request(boost::beast::http::verb::post, "/v1/rooms/" + room + "/" + marker, R"({"seq":)" + bad + "}",
                           {{"Authorization", "Bearer " + ann.token}, {"Content-Type", "application/json"}});
      auto body = expect_problem(res, 422, "validation_failed");
      EXPECT_TRUE(body.contains("fields") && body.at("fields").as_object().contains("seq")) << bad << ": " << res;
    }
  }
  for (const std::string q : {"limit=1.5", "limit=true", "limit=+5", "limit=5x", "limit=", "limit=0x10", "before=1e3",
                              "after=99999999999999999999", "before=-1", "after=1.0", "before=%201"}) {
    auto res = get(c, "/v1/rooms/" + room + "/messages?" + q, ann);
    auto body = expect_problem(res, 422, "validation_failed");
    const auto field = q.substr(0, q.find('='));
    EXPECT_TRUE(body.contains("fields") && body.at("fields").as_object().contains(field)) << q << ": " << res;
  }
  EXPECT_EQ(get(c, "/v1/rooms/" + room + "/messages?limit=100&after=0", ann).result_int(), 200);
}

// ---- 5. sessions that end close their sockets -------------------------------------------------

struct Session {
  std::string access, refresh, id;
};

Session login_session(HttpClient& c, const std::string& name) {
  auto res = accounts::login(c, name, "correct horse 1");
  EXPECT_EQ(res.result_int(), 200) << res;
  const auto body = body_json(res);
  Session s{str(body, "access_token"), str(body, "refresh_token"), {}};
  const auto sessions = body_json(c.get("/v1/auth/sessions", accounts::bearer(s.access)));
  for (const auto& item : sessions.at("items").as_array())
    if (item.at("current").as_bool()) s.id = str(item, "id");
  return s;
}

bool still_open(GatewayClient& g) {
  g.ws.send_text(R"({"op":"ping","id":"alive"})");
  for (;;) {
    auto f = g.next_frame(seconds(5));
    if (!f) return false;
    if (f->at("t").as_string() == "pong") return true;
  }
}

TEST(HardeningGatewaySessions, SignOutClosesThatSessionsSocketsWith4401AtOnceAndNoOther) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto ann = make_user(c, "ann");
  auto second = login_session(c, "ann");
  auto third = login_session(c, "ann");
  GatewayClient first_ws(server.port(), ann);
  GatewayClient second_ws(server.port(), User{ann.id, second.access, "ann"});
  GatewayClient third_ws(server.port(), User{ann.id, third.access, "ann"});

  const auto started = std::chrono::steady_clock::now();
  ASSERT_EQ(c.request(boost::beast::http::verb::post, "/v1/auth/logout", "", accounts::bearer(ann.token)).result_int(),
            204);
  EXPECT_EQ(first_ws.ws.wait_for_close_code(seconds(5)), 4401);
  EXPECT_LT(std::chrono::steady_clock::now() - started, seconds(3));
  EXPECT_TRUE(still_open(second_ws));

  // Revoking another session from this one closes that one's socket.
  auto res = c.request(boost::beast::http::verb::delete_, "/v1/auth/sessions/" + third.id, "",
                       accounts::bearer(second.access));
  ASSERT_EQ(res.result_int(), 204) << res;
  EXPECT_EQ(third_ws.ws.wait_for_close_code(seconds(5)), 4401);
  EXPECT_TRUE(still_open(second_ws));
}

TEST(HardeningGatewaySessions, DeletingTheAccountClosesEverySocketOfIt) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto ann = make_user(c, "ann");
  auto bob = make_user(c, "bob");
  auto second = login_session(c, "ann");
  GatewayClient a1(server.port(), ann);
  GatewayClient a2(server.port(), User{ann.id, second.access, "ann"});
  GatewayClient b(server.port(), bob);
  auto res = c.request(boost::beast::http::verb::delete_, "/v1/me", R"({"password":"correct horse 1"})",
                       {{"Authorization", "Bearer " + ann.token}, {"Content-Type", "application/json"}});
  ASSERT_EQ(res.result_int(), 204) << res;
  EXPECT_EQ(a1.ws.wait_for_close_code(seconds(5)), 4401);
  EXPECT_EQ(a2.ws.wait_for_close_code(seconds(5)), 4401);
  EXPECT_TRUE(still_open(b));
}

// A signing key the test knows, given to the server as an older version's key file
// (DATA/keys/<kid>.json): the first start imports it into the database, and it signs.
struct KnownKey {
  std::string kid;
  std::vector<std::uint8_t> seed;
};
KnownKey known_key_file(const std::filesystem::path& data) {
  KnownKey key{"test-key", encoding::random_bytes(crypto_sign_SEEDBYTES)};
  std::filesystem::create_directories(data / "keys");
  std::ofstream(data / "keys" / (key.kid + ".json"))
      << json::serialize(json::object{{"kid", key.kid}, {"alg", "EdDSA"}, {"crv", "Ed25519"}, {"created_ms", 1000},
                                      {"seed", encoding::base64url(key.seed)}});
  return key;
}

// An access token of this session that expires in `ttl_s` seconds, signed with `key` as the
// server signs them (EdDSA, iss = the public URL).
std::string short_token(const KnownKey& key, const std::string& user_id, const std::string& session_id, int ttl_s) {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(pk, sk, key.seed.data());
  const auto now = std::chrono::duration_cast<seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  const auto header = json::serialize(json::object{{"alg", "EdDSA"}, {"typ", "JWT"}, {"kid", key.kid}});
  const auto payload = json::serialize(json::object{{"sub", user_id}, {"sid", session_id}, {"role", "user"},
                                                    {"iat", now}, {"exp", now + ttl_s},
                                                    {"iss", "http://127.0.0.1:8080"}});
  const auto input = encoding::base64url(header) + "." + encoding::base64url(payload);
  std::array<std::uint8_t, crypto_sign_BYTES> sig{};
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(input.data()), input.size(), sk);
  return input + "." + encoding::base64url(std::span<const std::uint8_t>(sig.data(), sig.size()));
}

TEST(HardeningGatewaySessions, AtTheTokensExpiryTheSocketClosesWith4401UnlessAFreshTokenCame) {
  TempDir data;
  const auto key = known_key_file(data.path());
  ServerOptions options = fast_server();
  options.data_dir = data.path();
  ServerProcess server(options);
  HttpClient c(server.port());
  auto ann = make_user(c, "ann");
  auto s = login_session(c, "ann");
  const auto soon = short_token(key, ann.id, s.id, 2);
  ASSERT_FALSE(soon.empty());
  ASSERT_EQ(c.get("/v1/me", accounts::bearer(soon)).result_int(), 200) << "the test's token is not accepted";
  GatewayClient renewed(server.port(), User{ann.id, soon, "ann"});
  GatewayClient left(server.port(), User{ann.id, soon, "ann"});
  renewed.ws.send_text(json::serialize(json::object{{"op", "auth"}, {"token", s.access}}));
  renewed.next("authed");
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(left.ws.wait_for_close_code(seconds(6)), 4401);
  EXPECT_LT(std::chrono::steady_clock::now() - started, milliseconds(3500)) << "not closed at exp";
  EXPECT_TRUE(still_open(renewed));
}

// The reset link's token from the mail in DATA/outbox/, once it is there.
std::string reset_token(const std::filesystem::path& outbox) {
  const auto deadline = std::chrono::steady_clock::now() + seconds(10);
  const std::regex link("/reset-password\\?token=([A-Za-z0-9_-]{43})");
  while (std::chrono::steady_clock::now() < deadline) {
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(outbox, ec)) {
      std::ifstream in(e.path());
      std::stringstream text;
      text << in.rdbuf();
      // Quoted-printable: soft line breaks out, =3D back to '='.
      const auto body = std::regex_replace(std::regex_replace(text.str(), std::regex("=\\r?\\n"), ""),
                                           std::regex("=3D"), "=");
      std::smatch m;
      if (std::regex_search(body, m, link)) return m[1].str();
    }
    std::this_thread::sleep_for(milliseconds(20));  // polling for the file the mailer writes
  }
  return {};
}

TEST(HardeningGatewaySessions, APasswordResetClosesEverySocketOfTheAccount) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto ann = make_user(c, "ann");
  auto second = login_session(c, "ann");
  GatewayClient a1(server.port(), ann);
  GatewayClient a2(server.port(), User{ann.id, second.access, "ann"});
  ASSERT_EQ(c.post_json("/v1/auth/password-reset/request", R"({"email":"ann@example.com"})").result_int(), 202);
  const auto token = reset_token(server.data_dir() / "outbox");
  ASSERT_FALSE(token.empty());
  auto res = c.post_json("/v1/auth/password-reset/confirm",
                         json::serialize(json::object{{"token", token}, {"password", "another horse 2"}}));
  ASSERT_EQ(res.result_int(), 204) << res;
  EXPECT_EQ(a1.ws.wait_for_close_code(seconds(5)), 4401);
  EXPECT_EQ(a2.ws.wait_for_close_code(seconds(5)), 4401);
}

TEST(HardeningGatewaySessions, ABanFromTheCliClosesTheSocketWithinTheRecheckInterval) {
  ServerProcess server(server_with({"--ws-session-recheck", "500ms"}));
  HttpClient c(server.port());
  auto ann = make_user(c, "ann");
  auto bob = make_user(c, "bob");
  GatewayClient a(server.port(), ann);
  GatewayClient b(server.port(), bob);
  std::vector<std::string> args{"user", "ban", "ann", "--data", server.data_dir().string()};
  args.insert(args.end(), accounts::kFastHash.begin(), accounts::kFastHash.end());
  auto r = run_parley(args);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(a.ws.wait_for_close_code(seconds(5)), 4401);
  EXPECT_TRUE(still_open(b));
}

TEST(HardeningGatewaySessions, AFreshTokenOfTheSameSessionKeepsTheSocketAnotherUsersClosesIt) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto ann = make_user(c, "ann");
  auto bob = make_user(c, "bob");
  auto s = login_session(c, "ann");
  GatewayClient a(server.port(), User{ann.id, s.access, "ann"});

  auto res = c.post_json("/v1/auth/refresh", json::serialize(json::object{{"refresh_token", s.refresh}}));
  ASSERT_EQ(res.result_int(), 200) << res;
  const auto fresh = str(body_json(res), "access_token");
  a.ws.send_text(json::serialize(json::object{{"op", "auth"}, {"token", fresh}}));
  auto authed = a.next("authed");
  EXPECT_EQ(authed.at("user_id").as_string(), ann.id);
  EXPECT_EQ(authed.at("session_id").as_string(), s.id);
  EXPECT_GT(authed.at("expires_at").as_int64(), 0);
  EXPECT_TRUE(still_open(a));

  // Refresh reuse (the used token again) ends the session: its socket closes.
  res = c.post_json("/v1/auth/refresh", json::serialize(json::object{{"refresh_token", s.refresh}}));
  EXPECT_EQ(res.result_int(), 401) << res;
  EXPECT_EQ(a.ws.wait_for_close_code(seconds(5)), 4401);

  // Another user's token on an open socket closes it.
  GatewayClient a2(server.port(), ann);
  a2.ws.send_text(json::serialize(json::object{{"op", "auth"}, {"token", bob.token}}));
  EXPECT_EQ(a2.ws.wait_for_close_code(seconds(5)), 4401);
}

// ---- 13b/c. every frame counts; fragments must finish ------------------------------------------

// A WebSocket client on a plain socket, writing frames byte by byte as the test wants them.
class RawWs {
 public:
  RawWs(std::uint16_t port, const std::string& token) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw std::runtime_error("connect");
    timeval tv{.tv_sec = 0, .tv_usec = 200'000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    write("GET /v1/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          "Authorization: Bearer " + token + "\r\n\r\n");
    const auto deadline = std::chrono::steady_clock::now() + seconds(5);
    while (in_.find("\r\n\r\n") == std::string::npos && std::chrono::steady_clock::now() < deadline) receive();
    const auto end = in_.find("\r\n\r\n");
    if (end == std::string::npos || in_.rfind("HTTP/1.1 101", 0) != 0) throw std::runtime_error("no upgrade: " + in_);
    in_.erase(0, end + 4);
  }
  ~RawWs() { ::close(fd_); }

  // One masked client frame (mask 0: the payload goes as is).
  void frame(bool fin, unsigned opcode, const std::string& payload) {
    std::string f;
    f += static_cast<char>((fin ? 0x80 : 0) | opcode);
    if (payload.size() < 126) {
      f += static_cast<char>(0x80 | payload.size());
    } else {
      f += static_cast<char>(0x80 | 126);
      f += static_cast<char>(payload.size() >> 8);
      f += static_cast<char>(payload.size() & 0xFF);
    }
    f += std::string(4, '\0');
    f += payload;
    write(f);
  }

  // The close code of the server's close frame, skipping other frames; nullopt if none in time.
  std::optional<int> close_code(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      while (in_.size() >= 2) {
        const auto b0 = static_cast<unsigned char>(in_[0]);
        std::size_t len = static_cast<unsigned char>(in_[1]) & 0x7F;
        std::size_t head = 2;
        if (len == 126) {
          if (in_.size() < 4) break;
          len = (static_cast<unsigned char>(in_[2]) << 8) | static_cast<unsigned char>(in_[3]);
          head = 4;
        } else if (len == 127) {
          if (in_.size() < 10) break;
          len = 0;
          for (int i = 0; i < 8; ++i) len = (len << 8) | static_cast<unsigned char>(in_[2 + i]);
          head = 10;
        }
        if (in_.size() < head + len) break;
        if ((b0 & 0x0F) == 8) {
          if (len < 2) return 1005;
          return (static_cast<unsigned char>(in_[head]) << 8) | static_cast<unsigned char>(in_[head + 1]);
        }
        in_.erase(0, head + len);
      }
      if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
      if (!receive() && closed_) return std::nullopt;
    }
  }

 private:
  void write(const std::string& bytes) {
    std::size_t off = 0;
    while (off < bytes.size()) {
      const auto n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return;  // the server closed: the test reads why
      off += static_cast<std::size_t>(n);
    }
  }
  bool receive() {
    char buf[4096];
    const auto n = ::recv(fd_, buf, sizeof buf, 0);
    if (n == 0) closed_ = true;
    if (n <= 0) return false;
    in_.append(buf, static_cast<std::size_t>(n));
    return true;
  }
  int fd_ = -1;
  bool closed_ = false;
  std::string in_;
};

TEST(HardeningWsFrames, AFloodOfPingFramesIsClosedWith4029) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto ann = make_user(c, "ann");
  RawWs ws(server.port(), ann.token);
  for (int i = 0; i < 500; ++i) ws.frame(true, 0x9, "p");
  EXPECT_EQ(ws.close_code(seconds(5)), 4029);
}

TEST(HardeningWsFrames, AMessageInOneByteFragmentsCountsEveryFragment) {
  ServerProcess server(fast_server());
  HttpClient c(server.port());
  auto ann = make_user(c, "ann");
  RawWs ws(server.port(), ann.token);
  ws.frame(false, 0x1, "{");
  for (int i = 0; i < 500; ++i) ws.frame(false, 0x0, " ");
  ws.frame(true, 0x0, "}");
  EXPECT_EQ(ws.close_code(seconds(5)), 4029);
}

TEST(HardeningWsFrames, AFragmentedMessageNeverFinishedIsCutAtTheFragmentTimeout) {
  ServerProcess server(server_with({"--ws-fragment-timeout", "500ms"}));
  HttpClient c(server.port());
  auto ann = make_user(c, "ann");
  RawWs ws(server.port(), ann.token);
  const auto started = std::chrono::steady_clock::now();
  ws.frame(false, 0x1, R"({"op":"ping",)");
  ws.frame(true, 0x9, "still here");  // control frames between fragments are fine, but do not finish it
  EXPECT_EQ(ws.close_code(seconds(5)), 1008);
  EXPECT_LT(std::chrono::steady_clock::now() - started, seconds(3));

  // A fragmented message that does finish in time is served.
  RawWs ok(server.port(), ann.token);
  ok.frame(false, 0x1, R"({"op":"ping",)");
  ok.frame(true, 0x0, R"("id":"x"})");
  EXPECT_EQ(ok.close_code(seconds(1)), std::nullopt);
}

}  // namespace
}  // namespace parley::it
