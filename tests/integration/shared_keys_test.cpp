// Signing keys shared by every server on one database (issue 12, item 4). On SQLite: an older
// version's key files (DATA/keys/*.json) are imported by the first start, so that the tokens it
// issued stay valid; keys live in the database across restarts and rotations, and no key file
// is written. With $PARLEY_TEST_POSTGRES: two servers started at once on one fresh database agree
// on the keys, verify each other's tokens, and both follow `parley keys rotate` run against the
// database (skipped without it).
#include <gtest/gtest.h>
#include <signal.h>
#include <sodium.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <thread>

#include "accounts_helpers.hpp"
#include "core/encoding.hpp"
#include "http_client.hpp"
#include "postgres_scratch.hpp"
#include "problem_assertions.hpp"
#include "run_command.hpp"
#include "server_process.hpp"
#include "temp_dir.hpp"

namespace parley::it {
namespace {

using namespace accounts;
using namespace std::chrono_literals;
namespace json = boost::json;
namespace fs = std::filesystem;

json::object jws_part(const std::string& token, std::size_t index) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < index; ++i) start = token.find('.', start) + 1;
  const auto bytes = encoding::from_base64url(token.substr(start, token.find('.', start) - start));
  if (!bytes) return {};
  return json::parse(std::string(bytes->begin(), bytes->end())).as_object();
}
std::string kid_of(const std::string& token) { return std::string(jws_part(token, 0).at("kid").as_string()); }

// The kids of the JWKS, with each key's public half.
std::map<std::string, std::string> jwks(HttpClient& c) {
  auto res = c.get("/.well-known/jwks.json");
  EXPECT_EQ(res.result_int(), 200) << res;
  std::map<std::string, std::string> out;
  const auto doc = body_json(res);
  for (const auto& k : doc.at("keys").as_array()) out[str(k, "kid")] = str(k, "x");
  return out;
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return done();
}

// An older version's key file, as it wrote them; returns the seed.
std::vector<std::uint8_t> write_key_file(const fs::path& data, const std::string& kid) {
  const auto seed = encoding::random_bytes(crypto_sign_SEEDBYTES);
  fs::create_directories(data / "keys");
  std::ofstream(data / "keys" / (kid + ".json"))
      << json::serialize(json::object{{"kid", kid}, {"alg", "EdDSA"}, {"crv", "Ed25519"}, {"created_ms", 1000},
                                      {"seed", encoding::base64url(seed)}});
  return seed;
}

// An access token with the claims of `like`, signed with `seed` under `kid` (as an older version
// holding that key issued them).
std::string token_signed_with(const std::vector<std::uint8_t>& seed, const std::string& kid, const std::string& like) {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(pk, sk, seed.data());
  auto claims = jws_part(like, 1);
  claims["iat"] = claims.at("iat").as_int64() - 1;  // another token than `like`
  const auto input = encoding::base64url(json::serialize(json::object{{"alg", "EdDSA"}, {"typ", "JWT"}, {"kid", kid}})) +
                     "." + encoding::base64url(json::serialize(claims));
  std::array<std::uint8_t, crypto_sign_BYTES> sig{};
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(input.data()), input.size(), sk);
  return input + "." + encoding::base64url(std::span<const std::uint8_t>(sig.data(), sig.size()));
}

std::string public_half(const std::vector<std::uint8_t>& seed) {
  std::array<std::uint8_t, crypto_sign_PUBLICKEYBYTES> pk{};
  std::array<std::uint8_t, crypto_sign_SECRETKEYBYTES> sk{};
  crypto_sign_seed_keypair(pk.data(), sk.data(), seed.data());
  return encoding::base64url(std::span<const std::uint8_t>(pk.data(), pk.size()));
}

void stop(ServerProcess& server) {
  server.send_signal(SIGTERM);
  ASSERT_EQ(server.wait_exit(15s), 0) << server.describe();
}

ServerOptions on_data(const fs::path& data) {
  ServerOptions o = fast_server();
  o.data_dir = data;
  return o;
}

TEST(SharedKeysUpgrade, AnOlderVersionsKeyFileIsImportedAndItsTokensStayValid) {
  TempDir data;
  const auto seed = write_key_file(data.path(), "kid-from-0x");
  ServerProcess server(on_data(data.path()));
  HttpClient c(server.port());
  const auto s = signup(c, "ann@example.com", "ann");
  const auto token = str(s, "access_token");
  EXPECT_EQ(kid_of(token), "kid-from-0x") << "the imported key signs";
  EXPECT_EQ(jwks(c), (std::map<std::string, std::string>{{"kid-from-0x", public_half(seed)}}));
  // A token the older version signed with that key (same session) is accepted.
  const auto old_token = token_signed_with(seed, "kid-from-0x", token);
  EXPECT_EQ(c.get("/v1/me", bearer(old_token)).result_int(), 200);
  // And one signed with a key the server never had is not.
  EXPECT_EQ(c.get("/v1/me", bearer(token_signed_with(encoding::random_bytes(32), "kid-from-0x", token))).result_int(), 401);
  EXPECT_TRUE(server.wait_for_msg("signing keys imported into the database").has_value()) << server.describe();
}

TEST(SharedKeysRotation, KeysLiveInTheDatabaseAcrossRotationsAndRestarts) {
  TempDir data;
  std::string token1, token2, kid1, kid2;
  {
    ServerProcess server(on_data(data.path()));
    HttpClient c(server.port());
    token1 = str(signup(c, "bob@example.com", "bob"), "access_token");
    kid1 = kid_of(token1);
    auto rotated = run_parley({"keys", "rotate", "--data", data.path().string()});
    ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
    EXPECT_NE(rotated.out.find("new signing key"), std::string::npos) << rotated.out;
    ASSERT_TRUE(eventually([&] {
      auto l = login(c, "bob", "correct horse 1");
      token2 = l.result_int() == 200 ? str(body_json(l), "access_token") : "";
      return !token2.empty() && kid_of(token2) != kid1;
    })) << "the running server does not sign with the rotated key";
    kid2 = kid_of(token2);
    stop(server);
  }
  EXPECT_FALSE(fs::exists(data.path() / "keys")) << "no key file is written any more";
  // A restart loads both keys from the database: both tokens verify, the new key signs.
  ServerProcess again(on_data(data.path()));
  HttpClient c(again.port());
  const auto kids = jwks(c);
  EXPECT_EQ(kids.size(), 2u);
  EXPECT_TRUE(kids.contains(kid1) && kids.contains(kid2));
  EXPECT_EQ(c.get("/v1/me", bearer(token1)).result_int(), 200);
  EXPECT_EQ(c.get("/v1/me", bearer(token2)).result_int(), 200);
  auto l = login(c, "bob", "correct horse 1");
  ASSERT_EQ(l.result_int(), 200) << l;
  EXPECT_EQ(kid_of(str(body_json(l), "access_token")), kid2);
}

TEST(SharedKeysRotation, RotateRefusesAFolderWithoutADatabase) {
  if (on_postgres()) GTEST_SKIP() << "about the embedded store";
  TempDir data;
  auto r = run_parley({"keys", "rotate", "--data", data.path().string()});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.err.find("no database"), std::string::npos) << r.err;
}

// Two nodes on one PostgreSQL database (each with its own data folder), started at once.
TEST(SharedKeysCluster, TwoServersOnOneDatabaseShareTheKeysAndFollowRotations) {
  if (!postgres_server_url()) GTEST_SKIP() << "PARLEY_TEST_POSTGRES is not set";
  if (on_postgres()) GTEST_SKIP() << "the SQLite run runs it (it names its database itself)";
  PostgresScratch pg("shared_keys");
  const auto url = pg.url();
  // Both migrate and create the first key at the same moment: they must agree on one.
  ServerOptions oa = fast_server(), ob = fast_server();
  for (auto* o : {&oa, &ob}) o->args.insert(o->args.end(), {"--database", url});
  oa.wait_ready = ob.wait_ready = false;
  ServerProcess a(oa), b(ob);
  a.wait_ready();
  b.wait_ready();
  HttpClient ca(a.port()), cb(b.port());
  const auto keys = jwks(ca);
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(jwks(cb), keys);

  // A user who signed up on A is known on B, and A's token verifies on B.
  const auto s = signup(ca, "cyd@example.com", "cyd");
  const auto token1 = str(s, "access_token");
  EXPECT_EQ(cb.get("/v1/me", bearer(token1)).result_int(), 200);

  // A rotation against the database (from a third machine: its own data folder) reaches both.
  TempDir elsewhere;
  auto rotated = run_parley({"keys", "rotate", "--database", url, "--data", elsewhere.path().string()});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  for (HttpClient* c : {&ca, &cb}) {
    ASSERT_TRUE(eventually([&] {
      auto l = login(*c, "cyd", "correct horse 1");
      return l.result_int() == 200 && kid_of(str(body_json(l), "access_token")) != kid_of(token1);
    })) << "a node does not sign with the rotated key";
  }
  EXPECT_EQ(jwks(ca), jwks(cb));
  EXPECT_EQ(jwks(ca).size(), 2u);
  auto l = login(cb, "cyd", "correct horse 1");
  const auto token2 = str(body_json(l), "access_token");
  EXPECT_EQ(ca.get("/v1/me", bearer(token2)).result_int(), 200);
  EXPECT_EQ(cb.get("/v1/me", bearer(token1)).result_int(), 200);

  // Revoked: the old tokens fail on both nodes within a few seconds.
  auto revoked = run_parley({"keys", "rotate", "--revoke-previous", "--database", url, "--data",
                             elsewhere.path().string()});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  for (HttpClient* c : {&ca, &cb}) {
    ASSERT_TRUE(eventually([&] { return c->get("/v1/me", bearer(token1)).result_int() == 401; }, 5s));
    ASSERT_TRUE(eventually([&] { return c->get("/v1/me", bearer(token2)).result_int() == 401; }, 5s));
  }
  EXPECT_EQ(jwks(ca), jwks(cb));
  EXPECT_EQ(jwks(ca).size(), 1u);
}

}  // namespace
}  // namespace parley::it
