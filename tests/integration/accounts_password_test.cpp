// Passwords end to end: an unknown account gets the same answer, in about the same time, as a
// wrong password for a real one; a hash made with older Argon2id parameters is upgraded at the
// next login.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "accounts_helpers.hpp"
#include "http_client.hpp"
#include "problem_assertions.hpp"
#include "run_command.hpp"
#include "test_backend.hpp"
#include "server_process.hpp"
#include "temp_dir.hpp"

namespace parley::it {
namespace {

using namespace accounts;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

std::vector<std::string> hash_args(int memory_kib, int passes) {
  return {"--argon2-memory-kib", std::to_string(memory_kib), "--argon2-passes", std::to_string(passes)};
}

double median_ms(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// The problem body without what differs per request.
std::string comparable(const Response& r) {
  auto o = body_json(r).as_object();
  o.erase("instance");
  o.erase("request_id");
  return json::serialize(o);
}

TEST(AccountsPassword, UnknownAccountAnswersLikeAWrongPasswordInSimilarTime) {
  // A hash that costs milliseconds, so that any shortcut for unknown accounts would show; the
  // throttles are off so that every attempt reaches the hash.
  auto args = hash_args(8192, 1);
  args.insert(args.end(), {"--login-limit-account", "off", "--login-limit-ip", "off"});
  ServerProcess server({.args = args});
  HttpClient c(server.port());
  signup(c, "kim@example.com", "kim");

  const auto known = login(c, "kim@example.com", "wrong password 1");
  const auto unknown = login(c, "nobody@example.com", "wrong password 1");
  expect_problem(known, 401, "invalid_credentials");
  expect_problem(unknown, 401, "invalid_credentials");
  EXPECT_EQ(comparable(known), comparable(unknown));
  EXPECT_EQ(comparable(login(c, "kim", "wrong password 1")), comparable(login(c, "nobody", "wrong password 1")));

  // Interleaved so that the machine's load drifts over both alike; medians resist outliers.
  std::vector<double> known_ms, unknown_ms;
  for (int i = 0; i < 25; ++i) {
    for (const bool is_known : {true, false}) {
      const auto t0 = Clock::now();
      const auto r = login(c, is_known ? "kim@example.com" : "nobody" + std::to_string(i) + "@example.com", "wrong password 1");
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
      ASSERT_EQ(r.result_int(), 401) << r;
      (is_known ? known_ms : unknown_ms).push_back(ms);
    }
  }
  const double k = median_ms(known_ms), u = median_ms(unknown_ms);
  // Without the dummy hash an unknown account would answer in a fraction of a millisecond,
  // against several milliseconds for a real hash check.
  EXPECT_GT(u / k, 0.6) << "median known " << k << " ms, unknown " << u << " ms";
  EXPECT_LT(u / k, 1.67) << "median known " << k << " ms, unknown " << u << " ms";
}

std::string stored_hash(const std::filesystem::path& data, const std::string& username) {
  auto r = store_sql(data, "SELECT password_hash FROM users WHERE username_key = '" + username + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  while (!r.out.empty() && (r.out.back() == '\n' || r.out.back() == '\r')) r.out.pop_back();
  return r.out;
}

TEST(AccountsPassword, AHashWithOlderParametersIsUpgradedAtTheNextLogin) {
  TempDir data;
  {
    ServerProcess old_params({.args = hash_args(1024, 1), .data_dir = data.path()});
    HttpClient c(old_params.port());
    signup(c, "lea@example.com", "lea");
  }
  const auto before = stored_hash(data.path(), "lea");
  EXPECT_NE(before.find("$argon2id$v=19$m=1024,t=1,"), std::string::npos) << before;

  {
    ServerProcess new_params({.args = hash_args(2048, 2), .data_dir = data.path()});
    HttpClient c(new_params.port());
    // A wrong password changes nothing; the right one logs in and upgrades the hash.
    expect_problem(login(c, "lea", "wrong password 1"), 401, "invalid_credentials");
    EXPECT_EQ(stored_hash(data.path(), "lea"), before);
    auto ok = login(c, "lea", "correct horse 1");
    ASSERT_EQ(ok.result_int(), 200) << ok;
  }
  const auto after = stored_hash(data.path(), "lea");
  EXPECT_NE(after.find("$argon2id$v=19$m=2048,t=2,"), std::string::npos) << after;

  // The upgraded hash still takes the same password, and only that one.
  ServerProcess again({.args = hash_args(2048, 2), .data_dir = data.path()});
  HttpClient c(again.port());
  EXPECT_EQ(login(c, "lea@example.com", "correct horse 1").result_int(), 200);
  expect_problem(login(c, "lea@example.com", "correct horse 2"), 401, "invalid_credentials");
  EXPECT_EQ(stored_hash(data.path(), "lea"), after);
}

}  // namespace
}  // namespace parley::it
