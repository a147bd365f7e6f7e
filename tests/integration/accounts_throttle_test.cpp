// The failed-login throttle: per account (known or unknown), 429 rate_limited with a numeric
// Retry-After, successful logins not counted, the limit and window taken from the settings.
#include <gtest/gtest.h>

#include <chrono>
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

}  // namespace
}  // namespace parley::it
