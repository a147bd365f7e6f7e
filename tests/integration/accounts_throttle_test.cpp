// The throttles: failed logins per account (known or unknown) and per IP, sign-ups per IP, 429
// rate_limited with a numeric Retry-After, successful logins not counted, the limit and window
// taken from the settings; account mails per address (reset requests stay 202 whatever happens,
// so the limit reveals nothing).
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include <boost/json.hpp>

#include "accounts_helpers.hpp"
#include "http_client.hpp"
#include "problem_assertions.hpp"
#include "server_process.hpp"

namespace parley::it {
namespace {

using namespace std::chrono_literals;
using namespace accounts;

ServerOptions fast(std::vector<std::string> extra = {}) {
  ServerOptions o;
  o.args = kFastHash;
  o.args.insert(o.args.end(), extra.begin(), extra.end());
  return o;
}

// A 429 rate_limited whose Retry-After is a whole number of seconds in [1, max_seconds].
void expect_rate_limited(const Response& res, long max_seconds) {
  expect_problem(res, 429, "rate_limited");
  const auto retry = header(res, "Retry-After");
  ASSERT_FALSE(retry.empty()) << res.base();
  ASSERT_EQ(retry.find_first_not_of("0123456789"), std::string::npos) << "Retry-After: " << retry;
  const long seconds = std::stol(retry);
  EXPECT_GE(seconds, 1);
  EXPECT_LE(seconds, max_seconds);
}

TEST(AccountsThrottle, SixthFailedLoginForAnAccountIs429WithRetryAfter) {
  ServerProcess server(fast());  // the default: 5 failures per 15 minutes per account
  HttpClient c(server.port());
  signup(c, "bob@example.com", "bob");
  for (int i = 1; i <= 5; ++i) {
    SCOPED_TRACE("failure " + std::to_string(i));
    expect_problem(login(c, "bob", "wrong password 1"), 401, "invalid_credentials");
  }
  expect_rate_limited(login(c, "bob", "wrong password 1"), 15 * 60);
  // The account is locked whichever name is used, and even with the right password.
  expect_rate_limited(login(c, "BOB@example.com", "wrong password 1"), 15 * 60);
  expect_rate_limited(login(c, "bob", "correct horse 1"), 15 * 60);
  // Another account is not affected.
  signup(c, "carol@example.com", "carol");
  EXPECT_EQ(login(c, "carol", "correct horse 1").result_int(), 200);
}

TEST(AccountsThrottle, AnUnknownAccountIsThrottledTheSameWay) {
  ServerProcess server(fast());
  HttpClient c(server.port());
  for (int i = 1; i <= 5; ++i) {
    SCOPED_TRACE("failure " + std::to_string(i));
    expect_problem(login(c, "nobody", "wrong password 1"), 401, "invalid_credentials");
  }
  expect_rate_limited(login(c, "nobody", "wrong password 1"), 15 * 60);
  expect_rate_limited(login(c, "NoBody", "wrong password 1"), 15 * 60);
}

TEST(AccountsThrottle, ASuccessfulLoginDoesNotCount) {
  ServerProcess server(fast());
  HttpClient c(server.port());
  signup(c, "dave@example.com", "dave");
  for (int i = 1; i <= 4; ++i) expect_problem(login(c, "dave", "wrong password 1"), 401, "invalid_credentials");
  EXPECT_EQ(login(c, "dave", "correct horse 1").result_int(), 200);
  // Five failures so far counted, not six: still 401.
  expect_problem(login(c, "dave", "wrong password 1"), 401, "invalid_credentials");
  // The failures are still remembered: the next one is over the limit.
  expect_rate_limited(login(c, "dave", "wrong password 1"), 15 * 60);
}

TEST(AccountsThrottle, TheLimitAndWindowComeFromTheSettings) {
  ServerProcess server(fast({"--login-limit-account", "3/2s"}));
  HttpClient c(server.port());
  signup(c, "erin@example.com", "erin");
  for (int i = 1; i <= 3; ++i) expect_problem(login(c, "erin", "wrong password 1"), 401, "invalid_credentials");
  expect_rate_limited(login(c, "erin", "wrong password 1"), 2);
  // Once the window has passed, attempts are allowed again.
  std::this_thread::sleep_for(2200ms);
  EXPECT_EQ(login(c, "erin", "correct horse 1").result_int(), 200);
}

TEST(AccountsThrottle, FailedLoginsFromOneIpAreLimitedAcrossAccounts) {
  ServerProcess server(fast({"--login-limit-ip", "4/1h"}));
  HttpClient c(server.port());
  for (int i = 1; i <= 4; ++i)
    expect_problem(login(c, "nobody" + std::to_string(i), "wrong password 1"), 401, "invalid_credentials");
  expect_rate_limited(login(c, "nobody5", "wrong password 1"), 3600);
}

TEST(AccountsThrottle, SignUpsFromOneIpAreLimited) {
  ServerProcess server(fast({"--signup-limit-ip", "3/1h"}));
  HttpClient c(server.port());
  for (int i = 1; i <= 3; ++i) signup(c, "user" + std::to_string(i) + "@example.com", "user" + std::to_string(i));
  expect_rate_limited(c.post_json("/v1/auth/signup", R"({"email":"user4@example.com","username":"user4","password":"correct horse 1"})"),
                      3600);
}

// Mails to one address: the verification mail at sign-up and reset mails share the limit. Reset
// requests answer 202 all the same (no enumeration) and simply send nothing more; a resend the
// signed-in user asks for gets the 429.
TEST(AccountsThrottle, AccountMailsToOneAddressAreLimitedWithoutRevealingIt) {
  ServerProcess server(fast({"--dev", "--mail-limit-address", "2/1h"}));
  HttpClient c(server.port());
  const auto tokens = signup(c, "dora@example.com", "dora");  // mail 1: verification
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(c.post_json("/v1/auth/password-reset/request", R"({"email":"dora@example.com"})").result_int(), 202);
  expect_rate_limited(c.post_json("/v1/auth/verify-email/resend", "{}", bearer(str(tokens, "access_token"))), 3600);
  // Mail goes out on its own thread: wait for the two allowed mails, then give any third one
  // time to appear; there must be none.
  auto mails_to_dora = [&c] {
    int n = 0;
    const auto outbox = body_json(c.get("/dev/outbox"));  // kept: the loop below walks into it
    for (const auto& m : outbox.at("items").as_array())
      n += m.at("to").as_string().find("dora@example.com") != std::string::npos ? 1 : 0;
    return n;
  };
  for (int i = 0; i < 100 && mails_to_dora() < 2; ++i) std::this_thread::sleep_for(50ms);
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(mails_to_dora(), 2);
}

}  // namespace
}  // namespace parley::it
