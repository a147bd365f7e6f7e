// TOTP second factor end to end: enrolment (secret, otpauth URI, QR SVG), activation with a real
// code from oathtool, 10 recovery codes, login with and without a code, code reuse, single-use
// recovery codes, and turning TOTP off again.
#include <gtest/gtest.h>

#include <signal.h>

#include <boost/json.hpp>
#include <chrono>
#include <set>
#include <string>
#include <thread>

#include "accounts_helpers.hpp"
#include "http_client.hpp"
#include "problem_assertions.hpp"
#include "server_process.hpp"

namespace parley::it {
namespace {

using namespace std::chrono_literals;
using namespace accounts;
namespace json = boost::json;

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

TEST(AccountsMfa, EnrolActivateLoginReuseRecoveryAndDisable) {
  ServerOptions o;
  o.args = kFastHash;
  // This test makes several deliberate failures; keep the login throttle out of its way.
  o.args.insert(o.args.end(), {"--login-limit-account", "100/15m"});
  ServerProcess server(o);
  HttpClient c(server.port());
  const std::string pw = "correct horse 1";
  auto s = signup(c, "alice@example.com", "alice", pw);
  ASSERT_TRUE(s.contains("access_token"));
  const auto token = str(s, "access_token");

  // Enrolment needs a session.
  EXPECT_EQ(c.post_json("/v1/auth/mfa/totp/enroll", "").result_int(), 401);
  auto res = c.post_json("/v1/auth/mfa/totp/enroll", "", bearer(token));
  ASSERT_EQ(res.result_int(), 200) << res;
  const auto enrol = body_json(res);
  const auto secret = str(enrol, "secret");
  EXPECT_GE(secret.size(), 32u) << secret;  // 20 bytes in base32
  EXPECT_TRUE(str(enrol, "otpauth_uri").starts_with("otpauth://totp/")) << str(enrol, "otpauth_uri");
  EXPECT_NE(str(enrol, "otpauth_uri").find("secret=" + secret), std::string::npos) << str(enrol, "otpauth_uri");
  EXPECT_TRUE(str(enrol, "qr_svg").starts_with("<svg")) << str(enrol, "qr_svg").substr(0, 80);

  // Not enabled until activated: login still needs no code.
  EXPECT_EQ(login(c, "alice", pw).result_int(), 200);

  // Work inside one 30 s step so that the codes below are predictable: step-1 activates,
  // step logs in (and is then spent), step+1 turns TOTP off. The server accepts ±1 step.
  if (unix_now() % 30 > 24) std::this_thread::sleep_for(std::chrono::seconds(31 - unix_now() % 30));
  const std::int64_t t = unix_now() / 30 * 30;
  const auto code_prev = totp_code(secret, t - 30);
  const auto code_now = totp_code(secret, t);
  const auto code_next = totp_code(secret, t + 30);
  ASSERT_FALSE(code_prev.empty());

  // A wrong code does not activate.
  const std::string wrong = code_now == "000000" ? "111111" : "000000";
  res = c.post_json("/v1/auth/mfa/totp/activate", json::serialize(json::object{{"code", wrong}}), bearer(token));
  expect_problem(res, 422, "validation_failed");

  res = c.post_json("/v1/auth/mfa/totp/activate", json::serialize(json::object{{"code", code_prev}}), bearer(token));
  ASSERT_EQ(res.result_int(), 200) << res;
  const auto activated = body_json(res);
  ASSERT_TRUE(activated.is_object() && activated.as_object().contains("recovery_codes")) << res;
  const auto& codes = activated.at("recovery_codes").as_array();
  ASSERT_EQ(codes.size(), 10u) << res;
  std::set<std::string> distinct;
  for (const auto& rc : codes) distinct.insert(std::string(rc.as_string()));
  EXPECT_EQ(distinct.size(), 10u);
  const std::string recovery(codes.at(0).as_string());
  const std::string recovery2(codes.at(1).as_string());

  // Password alone: 401 mfa_required (and by email alike).
  expect_problem(login(c, "alice", pw), 401, "mfa_required");
  expect_problem(login(c, "alice@example.com", pw), 401, "mfa_required");
  // A wrong password with a good code is still just invalid_credentials.
  expect_problem(login(c, "alice", "wrong password 1", code_now), 401, "invalid_credentials");

  // A fresh code works once.
  res = login(c, "alice", pw, code_now);
  ASSERT_EQ(res.result_int(), 200) << res;
  EXPECT_FALSE(str(body_json(res), "access_token").empty());
  // Used once: refused, and said to be the code's fault (the password was right).
  expect_problem(login(c, "alice", pw, code_now), 401, "invalid_totp");
  // The code used at activation is older than the last one used: refused as well.
  expect_problem(login(c, "alice", pw, code_prev), 401, "invalid_totp");
  expect_problem(login(c, "alice", pw, wrong), 401, "invalid_totp");

  // A recovery code works once, then fails.
  res = login(c, "alice", pw, recovery);
  ASSERT_EQ(res.result_int(), 200) << res;
  expect_problem(login(c, "alice", pw, recovery), 401, "invalid_totp");

  // Already on: a new enrolment is refused.
  expect_problem(c.post_json("/v1/auth/mfa/totp/enroll", "", bearer(token)), 409, "mfa_already_enabled");

  // Disable: a wrong password is refused, then password + a fresh code turns it off.
  res = c.post_json("/v1/auth/mfa/totp/disable",
                    json::serialize(json::object{{"password", "wrong password 1"}, {"code", code_next}}), bearer(token));
  EXPECT_EQ(res.result_int(), 403) << res;
  res = c.post_json("/v1/auth/mfa/totp/disable", json::serialize(json::object{{"password", pw}, {"code", code_next}}),
                    bearer(token));
  ASSERT_EQ(res.result_int(), 204) << res;

  // Login no longer asks for a code; the remaining recovery codes are gone with it.
  res = login(c, "alice", pw);
  EXPECT_EQ(res.result_int(), 200) << res;
  expect_problem(c.post_json("/v1/auth/mfa/totp/disable", json::serialize(json::object{{"password", pw}, {"code", recovery2}}),
                             bearer(token)),
                 409, "mfa_not_enabled");

  // Nothing secret reached a log line: not the password, the TOTP secret, a code, a recovery
  // code, an access or a refresh token.
  server.send_signal(SIGTERM);
  server.wait_exit(std::chrono::seconds(15));
  const auto out = server.stdout_text() + server.stderr_text();
  for (const std::string& secret_text : {pw, secret, code_prev, code_now, code_next, recovery, recovery2, token,
                                        str(s, "refresh_token")})
    EXPECT_EQ(out.find(secret_text), std::string::npos) << "in the log: " << secret_text;
}

}  // namespace
}  // namespace parley::it
