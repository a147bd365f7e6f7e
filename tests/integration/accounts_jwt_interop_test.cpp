// Access tokens checked by an independent implementation: npm `jose` (tests/interop/verify-jwt.mjs)
// fetches the server's JWKS and verifies the tokens it issued, before and after `parley keys
// rotate`; a tampered token and a wrong issuer are refused by it too.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "accounts_helpers.hpp"
#include "core/encoding.hpp"
#include "http_client.hpp"
#include "run_command.hpp"
#include "server_process.hpp"

namespace parley::it {
namespace {

using namespace accounts;
namespace json = boost::json;
namespace fs = std::filesystem;

const std::string kIssuer = "https://chat.example.test";

fs::path verifier() { return fs::path(PARLEY_SOURCE_DIR) / "tests" / "interop" / "verify-jwt.mjs"; }

// One parsed result line per token.
std::vector<json::object> jose_verify(std::uint16_t port, const std::string& issuer, const std::vector<std::string>& tokens) {
  std::vector<std::string> argv{"node", verifier().string(),
                                "http://127.0.0.1:" + std::to_string(port) + "/.well-known/jwks.json", issuer};
  argv.insert(argv.end(), tokens.begin(), tokens.end());
  auto r = run_command(argv);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<json::object> lines;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(json::parse(line).as_object());
  }
  EXPECT_EQ(lines.size(), tokens.size()) << r.out << r.err;
  return lines;
}

// The token with its payload's role changed to admin and the signature kept.
std::string with_admin_role(const std::string& token) {
  const auto dot1 = token.find('.');
  const auto dot2 = token.find('.', dot1 + 1);
  auto bytes = encoding::from_base64url(token.substr(dot1 + 1, dot2 - dot1 - 1));
  if (!bytes) return token;
  auto payload = json::parse(std::string(bytes->begin(), bytes->end())).as_object();
  payload["role"] = "admin";
  return token.substr(0, dot1 + 1) + encoding::base64url(json::serialize(payload)) + token.substr(dot2);
}

std::string access_token(const Response& r) { return str(body_json(r).as_object(), "access_token"); }

class JwtInterop : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(verifier().parent_path() / "node_modules" / "jose")) {
      GTEST_FAIL() << "npm jose is missing: scripts/test.sh installs it (npm ci in tests/interop)";
    }
  }
};

TEST_F(JwtInterop, JoseVerifiesIssuedTokensAgainstTheJwks) {
  ServerProcess server({.args = {"--argon2-memory-kib", "1024", "--argon2-passes", "1", "--public-url", kIssuer}});
  HttpClient c(server.port());
  auto s = signup(c, "ivy@example.com", "ivy");
  const auto token = str(s, "access_token");
  const auto user_id = str(s.at("user").as_object(), "id");

  auto results = jose_verify(server.port(), kIssuer, {token, with_admin_role(token)});
  ASSERT_EQ(results.size(), 2u);
  ASSERT_TRUE(results[0].at("ok").as_bool()) << json::serialize(results[0]);
  EXPECT_EQ(results[0].at("alg").as_string(), "EdDSA");
  const auto& p = results[0].at("payload").as_object();
  EXPECT_EQ(p.at("sub").as_string(), user_id);
  EXPECT_EQ(p.at("role").as_string(), "user");
  EXPECT_EQ(p.at("iss").as_string(), kIssuer);
  EXPECT_FALSE(p.at("sid").as_string().empty());
  EXPECT_EQ(p.at("exp").to_number<std::int64_t>() - p.at("iat").to_number<std::int64_t>(), 15 * 60);

  // A payload changed after signing fails jose's signature check.
  EXPECT_FALSE(results[1].at("ok").as_bool()) << json::serialize(results[1]);
  EXPECT_EQ(results[1].at("error").as_string(), "ERR_JWS_SIGNATURE_VERIFICATION_FAILED");

  // A token is only good for the issuer that made it.
  auto wrong = jose_verify(server.port(), "https://elsewhere.example.test", {token});
  ASSERT_EQ(wrong.size(), 1u);
  EXPECT_FALSE(wrong[0].at("ok").as_bool());
  EXPECT_EQ(wrong[0].at("error").as_string(), "ERR_JWT_CLAIM_VALIDATION_FAILED");
}

TEST_F(JwtInterop, AfterKeyRotationOldAndNewTokensBothVerify) {
  ServerProcess server({.args = {"--argon2-memory-kib", "1024", "--argon2-passes", "1", "--public-url", kIssuer}});
  HttpClient c(server.port());
  auto s = signup(c, "jay@example.com", "jay");
  const auto old_token = str(s, "access_token");
  const auto old_kid = jose_verify(server.port(), kIssuer, {old_token}).at(0).at("kid").as_string();

  auto rotated = run_parley({"keys", "rotate", "--data", server.data_dir().string()});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;

  // The running server picks the new key up within seconds; new logins are signed with it.
  std::string new_token;
  std::string new_kid(old_kid);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (new_kid == old_kid && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    auto l = login(c, "jay", "correct horse 1");
    ASSERT_EQ(l.result_int(), 200) << l;
    new_token = access_token(l);
    const auto parts = jose_verify(server.port(), kIssuer, {new_token});
    ASSERT_EQ(parts.size(), 1u);
    ASSERT_TRUE(parts[0].at("ok").as_bool()) << json::serialize(parts[0]);
    new_kid = parts[0].at("kid").as_string();
  }
  ASSERT_NE(new_kid, old_kid) << "the server did not switch to the rotated key within 15 s";

  // Both keys are published, so a token made before the rotation still verifies until it expires.
  auto both = jose_verify(server.port(), kIssuer, {old_token, new_token});
  ASSERT_EQ(both.size(), 2u);
  EXPECT_TRUE(both[0].at("ok").as_bool()) << json::serialize(both[0]);
  EXPECT_TRUE(both[1].at("ok").as_bool()) << json::serialize(both[1]);
  EXPECT_EQ(both[0].at("kid").as_string(), old_kid);
}

}  // namespace
}  // namespace parley::it
