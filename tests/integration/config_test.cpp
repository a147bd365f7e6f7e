// Settings: validation (exit 2 naming setting, value and source), precedence
// flag > env > TOML > default as seen by `parley config print`, secret masking, `parley version`.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <string>

#include "run_command.hpp"
#include "temp_dir.hpp"

namespace parley::it {
namespace {

using namespace std::chrono_literals;

class Config : public ::testing::Test {
 protected:
  TempDir dir{"parley-config"};

  std::string write_toml(const std::string& text) {
    auto path = dir.path() / "parley.toml";
    std::ofstream(path) << text;
    return path.string();
  }

  // `parley serve` that must stop on its own (bad configuration); a server that starts anyway
  // is killed after 10 s and reported as timed out.
  CommandResult serve(std::vector<std::string> args, Env env = {}) {
    std::vector<std::string> all{"serve", "--data", (dir.path() / "data").string()};
    if (std::find(args.begin(), args.end(), "--listen") == args.end())
      all.insert(all.end(), {"--listen", "127.0.0.1:0"});
    all.insert(all.end(), args.begin(), args.end());
    return run_parley(all, {.env = std::move(env), .timeout = 10s});
  }

  CommandResult print(std::vector<std::string> args, Env env = {}) {
    std::vector<std::string> all{"config", "print"};
    all.insert(all.end(), args.begin(), args.end());
    return run_parley(all, {.env = std::move(env)});
  }
};

// `key = value` lines of `config print` (comments skipped).
std::map<std::string, std::string> printed(const std::string& out) {
  std::map<std::string, std::string> values;
  std::regex line_re(R"(^([a-z_]+) = (.*)$)");
  std::size_t pos = 0;
  while (pos < out.size()) {
    auto nl = out.find('\n', pos);
    std::string line = out.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? out.size() : nl + 1;
    std::smatch m;
    if (std::regex_match(line, m, line_re)) values[m[1]] = m[2];
  }
  return values;
}

void expect_bad_setting(const CommandResult& r, const std::string& setting, const std::string& value) {
  EXPECT_FALSE(r.timed_out) << "the server started despite the bad setting";
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(setting), std::string::npos) << "stderr does not name " << setting << ": " << r.err;
  EXPECT_NE(r.err.find(value), std::string::npos) << "stderr does not name " << value << ": " << r.err;
}

TEST_F(Config, BadFlagValueExits2NamingSettingValueAndSource) {
  auto r = serve({"--max-body-bytes", "abc"});
  expect_bad_setting(r, "max-body-bytes", "abc");
  EXPECT_NE(r.err.find("1024"), std::string::npos) << "stderr does not say what is allowed: " << r.err;
  EXPECT_NE(r.err.find("1073741824"), std::string::npos) << r.err;
}

TEST_F(Config, OutOfRangeFlagExits2) {
  expect_bad_setting(serve({"--max-body-bytes", "10"}), "max-body-bytes", "10");
  expect_bad_setting(serve({"--max-header-bytes", "2000000"}), "max-header-bytes", "2000000");
  expect_bad_setting(serve({"--idle-timeout", "0s"}), "idle-timeout", "0s");
  expect_bad_setting(serve({"--header-timeout", "10parsecs"}), "header-timeout", "10parsecs");
  expect_bad_setting(serve({"--listen", "127.0.0.1:70000"}), "listen", "70000");
  expect_bad_setting(serve({"--log-level", "loud"}), "log-level", "loud");
  expect_bad_setting(serve({"--max-connections", "0"}), "max-connections", "0");
}

TEST_F(Config, BadEnvValueExits2NamingTheVariable) {
  auto r = serve({}, {{"PARLEY_THREADS", "999"}});
  expect_bad_setting(r, "threads", "999");
  EXPECT_NE(r.err.find("PARLEY_THREADS"), std::string::npos) << "stderr does not name the source: " << r.err;
  expect_bad_setting(serve({}, {{"PARLEY_DEV", "maybe"}}), "dev", "maybe");
}

TEST_F(Config, BadTomlValueExits2) {
  auto file = write_toml("app_name = \"ok\"\nmax_body_bytes = \"abc\"\n");
  auto r = serve({"--config", file});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_FALSE(r.timed_out);
  EXPECT_TRUE(r.err.find("max_body_bytes") != std::string::npos ||
              r.err.find("max-body-bytes") != std::string::npos) << r.err;
  EXPECT_NE(r.err.find("abc"), std::string::npos) << r.err;

  auto threads = serve({"--config", write_toml("threads = 999\n")});
  expect_bad_setting(threads, "threads", "999");
}

TEST_F(Config, UnknownTomlKeyExits2NamingTheKey) {
  auto r = serve({"--config", write_toml("max_body_bytes = 4096\nmax_bodee_bytes = 4096\n")});
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("max_bodee_bytes"), std::string::npos) << r.err;
}

TEST_F(Config, MissingOrBrokenTomlFileExits2) {
  auto missing = serve({"--config", (dir.path() / "nope.toml").string()});
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
  EXPECT_NE(missing.err.find("nope.toml"), std::string::npos) << missing.err;
  auto broken = serve({"--config", write_toml("listen = \"127.0.0.1:0\"\nthreads = = 3\n")});
  EXPECT_EQ(broken.exit_code, 2) << broken.err;
  EXPECT_TRUE(std::regex_search(broken.err, std::regex(R"((line\s*2\b|:2:))", std::regex::icase)))
      << "no line number: " << broken.err;
}

TEST_F(Config, WildcardCorsOriginIsRejected) {
  expect_bad_setting(serve({"--cors-origins", "*"}), "cors-origins", "*");
}

TEST_F(Config, AnUnreachablePostgresExits1AndItsPasswordIsMasked) {
  // Nothing listens on port 1: the store cannot be opened, which is not a configuration error.
  auto r = serve({"--database", "postgres://app:pg-secret-991@127.0.0.1:1/parley"});
  EXPECT_EQ(r.exit_code, 1) << r.err << r.out;
  EXPECT_NE((r.out + r.err).find("cannot open the store"), std::string::npos) << r.out << r.err;
  EXPECT_EQ((r.out + r.err).find("pg-secret-991"), std::string::npos) << r.out << r.err;
  auto bad = serve({"--database", "mysql://app:pg-secret-991@db.example.com/parley"});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_NE(bad.err.find("database"), std::string::npos) << bad.err;
  EXPECT_EQ(bad.err.find("pg-secret-991"), std::string::npos) << bad.err;
}

TEST_F(Config, UnknownFlagOrCommandExits2) {
  EXPECT_EQ(serve({"--no-such-flag"}).exit_code, 2);
  EXPECT_EQ(run_parley({"frobnicate"}).exit_code, 2);
}

TEST_F(Config, PrintShowsDefaults) {
  auto r = print({});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto v = printed(r.out);
  EXPECT_EQ(v["listen"], "\"127.0.0.1:8080\"");
  EXPECT_EQ(v["max_body_bytes"], "1048576");
  EXPECT_EQ(v["max_header_bytes"], "16384");
  EXPECT_EQ(v["header_timeout"], "\"10s\"");
  EXPECT_EQ(v["app_name"], "\"Parley\"");
  EXPECT_EQ(v["log_level"], "\"info\"");
  EXPECT_EQ(v["dev"], "false");
}

TEST_F(Config, PrintOutputIsKeyValueLinesOnly) {
  auto r = print({"--cors-origins", "https://a.example.com,https://b.example.com"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::regex ok(R"(^(#.*|[a-z][a-z0-9_]* = .+|)$)");
  std::size_t pos = 0;
  while (pos < r.out.size()) {
    auto nl = r.out.find('\n', pos);
    std::string line = r.out.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? r.out.size() : nl + 1;
    EXPECT_TRUE(std::regex_match(line, ok)) << "not a TOML key = value line: " << line;
  }
  auto v = printed(r.out);
  for (auto key : {"listen", "data", "database", "redis", "smtp_url", "public_url", "dev", "threads",
                   "log_level", "max_body_bytes", "max_header_bytes", "header_timeout",
                   "idle_timeout", "shutdown_timeout", "max_connections", "cors_origins",
                   "slow_store", "app_name"})
    EXPECT_TRUE(v.contains(key)) << "config print lacks " << key << "\n" << r.out;
  EXPECT_NE(v["cors_origins"].find("https://b.example.com"), std::string::npos) << v["cors_origins"];
}

TEST_F(Config, PrecedenceIsFlagThenEnvThenTomlThenDefault) {
  auto file = write_toml("app_name = \"FromToml\"\nmax_body_bytes = 4096\nlog_level = \"warn\"\n"
                         "idle_timeout = \"30s\"\n");
  Env env{{"PARLEY_APP_NAME", "FromEnv"}, {"PARLEY_MAX_BODY_BYTES", "8192"}};
  auto r = print({"--config", file, "--app-name", "FromFlag"}, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto v = printed(r.out);
  EXPECT_EQ(v["app_name"], "\"FromFlag\"");   // flag over env and file
  EXPECT_EQ(v["max_body_bytes"], "8192");     // env over file
  EXPECT_EQ(v["log_level"], "\"warn\"");      // file over default
  EXPECT_EQ(v["idle_timeout"], "\"30s\"");    // file over default
  EXPECT_EQ(v["shutdown_timeout"], "\"10s\"");  // default

  auto env_only = printed(print({"--config", file}, env).out);
  EXPECT_EQ(env_only["app_name"], "\"FromEnv\"");

  auto file_via_env = printed(print({}, {{"PARLEY_CONFIG", file}}).out);
  EXPECT_EQ(file_via_env["app_name"], "\"FromToml\"");

  auto flag_over_file = printed(print({"--config", file, "--max-body-bytes", "2048"}).out);
  EXPECT_EQ(flag_over_file["max_body_bytes"], "2048");
}

TEST_F(Config, PrintMasksSecretPasswords) {
  auto r = print({"--smtp-url", "smtp://user:hunter2@host:25"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("hunter2"), std::string::npos) << r.out;
  EXPECT_EQ(printed(r.out)["smtp_url"], "\"smtp://user:***@host:25\"") << r.out;

  auto redis = print({}, {{"PARLEY_REDIS", "redis://:r3dis-pass@cache:6379/0"}});
  ASSERT_EQ(redis.exit_code, 0) << redis.err;
  EXPECT_EQ(redis.out.find("r3dis-pass"), std::string::npos) << redis.out;
  EXPECT_NE(printed(redis.out)["redis"].find("***"), std::string::npos) << redis.out;
}

TEST_F(Config, PrintedConfigurationIsAValidConfigFile) {
  auto first = print({"--app-name", "RoundTrip", "--idle-timeout", "45s", "--cors-origins",
                      "https://a.example.com"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto second = print({"--config", write_toml(first.out)});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(printed(second.out), printed(first.out));
}

TEST(Version, PrintsOneVersionLine) {
  auto r = run_parley({"version"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::regex_match(r.out, std::regex(R"(parley \d+\.\d+\.\d+ \(.+\)\n?)"))) << r.out;
}

}  // namespace
}  // namespace parley::it
