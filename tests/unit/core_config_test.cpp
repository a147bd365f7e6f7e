// Configuration: defaults, each setting's parse and range, error messages, precedence
// (flag > PARLEY_* env > TOML file > default), the TOML file, and secret masking.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "config_fixture.hpp"
#include "core/config.hpp"

extern char** environ;

namespace parley {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

using ConfigTest = testing_support::ConfigFixture;

TEST_F(ConfigTest, Defaults) {
  const Config c = load_config({});
  EXPECT_EQ(c.listen_host, "127.0.0.1");
  EXPECT_EQ(c.listen_port, 8080);
  EXPECT_EQ(c.data_dir, fs::path("./data"));
  EXPECT_EQ(c.database, "");
  EXPECT_EQ(c.public_url, "http://127.0.0.1:8080");
  EXPECT_FALSE(c.dev);
  EXPECT_EQ(c.threads, 0);
  EXPECT_GE(c.effective_threads(), 1);
  EXPECT_EQ(c.worker_threads, 0);
  EXPECT_EQ(c.effective_worker_threads(), std::max(1, static_cast<int>(std::thread::hardware_concurrency()) - 1));
  EXPECT_EQ(c.log_level, log::Level::info);
  EXPECT_EQ(c.max_body_bytes, 1048576u);
  EXPECT_EQ(c.max_header_bytes, 16384u);
  EXPECT_EQ(c.header_timeout, 10s);
  EXPECT_EQ(c.idle_timeout, 60s);
  EXPECT_EQ(c.shutdown_timeout, 10s);
  EXPECT_EQ(c.slow_store, 100ms);
  EXPECT_EQ(c.max_connections, 100000u);
  EXPECT_TRUE(c.cors_origins.empty());
  EXPECT_EQ(c.app_name, "Parley");
  EXPECT_EQ(c.config_file, "");
}

struct Case {
  std::string setting, value;
  bool ok;
};

TEST_F(ConfigTest, EachSettingAcceptsAndRefuses) {
  const std::vector<Case> cases = {
      {"max-body-bytes", "1024", true},        {"max-body-bytes", "1073741824", true},
      {"max-body-bytes", "abc", false},        {"max-body-bytes", "1023", false},
      {"max-body-bytes", "1073741825", false}, {"max-body-bytes", "", false},
      {"max-body-bytes", "-5", false},         {"max-body-bytes", "2048 ", false},
      {"max-header-bytes", "1048576", true},   {"max-header-bytes", "1048577", false},
      {"threads", "0", true},                  {"threads", "256", true},
      {"threads", "257", false},               {"max-connections", "0", false},
      {"max-connections", "10000000", true},   {"max-connections", "10000001", false},
      {"header-timeout", "250ms", true},       {"header-timeout", "10s", true},
      {"header-timeout", "5m", true},          {"header-timeout", "1h", false},
      {"header-timeout", "99ms", false},       {"header-timeout", "10x", false},
      {"header-timeout", "-1s", false},        {"header-timeout", "", false},
      {"header-timeout", "s", false},          {"header-timeout", "1.5s", false},
      {"idle-timeout", "1h", true},            {"idle-timeout", "61m", false},
      {"idle-timeout", "999ms", false},        {"shutdown-timeout", "0s", true},
      {"shutdown-timeout", "10m", true},       {"shutdown-timeout", "601s", false},
      {"slow-store", "1ms", true},             {"slow-store", "0ms", false},
      {"slow-store", "1m", true},              {"slow-store", "2m", false},
      {"listen", "127.0.0.1:8080", true},      {"listen", "[::1]:0", true},
      {"listen", "localhost:80", true},        {"listen", "0.0.0.0:65535", true},
      {"listen", "nohost:80", false},          {"listen", "1.2.3.4", false},
      {"listen", "1.2.3.4:70000", false},      {"listen", "1.2.3.4:65536", false},
      {"listen", ":80", false},                {"listen", "::1:80", false},
      {"listen", "[::1]", false},              {"listen", "1.2.3.4:", false},
      {"listen", "1.2.3.4:http", false},       {"listen", "", false},
      {"cors-origins", "https://a.example.com,http://localhost:5173", true},
      {"cors-origins", "", true},              {"cors-origins", "*", false},
      {"cors-origins", "https://a.example.com/app", false},
      {"cors-origins", "https://a.example.com/", false},
      {"cors-origins", "a.example.com", false},
      {"cors-origins", "https://ok.example, *", false},
      {"log-level", "debug", true},            {"log-level", "info", true},
      {"log-level", "warn", true},             {"log-level", "error", true},
      {"log-level", "off", true},              {"log-level", "verbose", false},
      {"log-level", "", false},                {"dev", "true", true},
      {"dev", "0", true},                      {"dev", "maybe", false},
      {"database", "", true},                  {"database", "sqlite:", true},
      {"database", "postgres://u@h/db", true}, {"database", "postgresql://h/db", true},
      {"database", "mysql://u@h/db", false},  {"redis", "redis://h:6379", true},
      {"redis", "http://h", false},            {"smtp-url", "smtps://u:p@h:465", true},
      {"smtp-url", "mail.example", false},     {"public-url", "https://chat.example", true},
      {"public-url", "chat.example", false},   {"public-url", "", false},
      {"data", "/tmp/x", true},                {"data", "", false},
      {"app-name", std::string(64, 'a'), true}, {"app-name", std::string(65, 'a'), false},
      {"app-name", "", false},
  };
  for (const auto& c : cases) {
    FlagValues flags;
    flags[c.setting] = c.value;
    const std::string err = error_of(flags);
    EXPECT_EQ(err.empty(), c.ok) << c.setting << " = \"" << c.value << "\": " << err;
  }
}

TEST_F(ConfigTest, ParsedValues) {
  EXPECT_EQ(load_config({{"header-timeout", "250ms"}}).header_timeout, 250ms);
  EXPECT_EQ(load_config({{"header-timeout", "5m"}}).header_timeout, 5min);
  EXPECT_EQ(load_config({{"header-timeout", "30"}}).header_timeout, 30s);  // a bare number is seconds
  EXPECT_EQ(load_config({{"idle-timeout", "1h"}}).idle_timeout, 1h);
  EXPECT_EQ(load_config({{"max-body-bytes", "2048"}}).max_body_bytes, 2048u);
  const Config v6 = load_config({{"listen", "[::1]:0"}});
  EXPECT_EQ(v6.listen_host, "::1");
  EXPECT_EQ(v6.listen_port, 0);
  EXPECT_EQ(load_config({{"listen", "localhost:80"}}).listen_host, "localhost");
  EXPECT_EQ(load_config({{"cors-origins", " https://a.example , http://b.example:8080 "}}).cors_origins,
            (std::vector<std::string>{"https://a.example", "http://b.example:8080"}));
  EXPECT_EQ(load_config({{"log-level", "warn"}}).log_level, log::Level::warn);
  EXPECT_TRUE(load_config({{"dev", "1"}}).dev);
  EXPECT_EQ(load_config({{"public-url", "https://chat.example//"}}).public_url, "https://chat.example");
}

TEST_F(ConfigTest, ErrorNamesSettingValueSourceAndAllowed) {
  env("PARLEY_MAX_BODY_BYTES", "abc");
  try {
    load_config({});
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.setting(), "max-body-bytes");
    EXPECT_STREQ(e.what(),
                 "invalid setting max-body-bytes = \"abc\" (from PARLEY_MAX_BODY_BYTES): "
                 "expected an integer from 1024 to 1073741824");
  }
  ::unsetenv("PARLEY_MAX_BODY_BYTES");
  EXPECT_EQ(error_of({{"header-timeout", "10x"}}),
            "invalid setting header-timeout = \"10x\" (from --header-timeout): "
            "expected a duration from \"100ms\" to \"5m\" (units ms, s, m, h)");
  const std::string file = toml("threads = 999\n");
  EXPECT_EQ(error_of({{"config", file}}),
            "invalid setting threads = \"999\" (from " + file + "): expected an integer from 0 to 256");
}

TEST_F(ConfigTest, SecretsAreMaskedInErrors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"database", "mysql://app:hunter2@db:5432/parley"},
      {"redis", "http://:hunter2@cache:6379"},
      {"smtp-url", "ftp://mailer:hunter2@mail:25"},
      {"smtp-url", "mailer:hunter2@mail:25"},
      {"redis", "redis//:hunter2@cache:6379"},
      {"database", "mysql://db/parley?password=hunter2"},
  };
  for (const auto& [setting, value] : cases) {
    FlagValues flags;
    flags[setting] = value;
    const std::string err = error_of(flags);
    EXPECT_NE(err.find("***"), std::string::npos) << err;
    EXPECT_EQ(err.find("hunter2"), std::string::npos) << err;
  }
  // Not secret: the value is shown as given.
  EXPECT_NE(error_of({{"public-url", "ftp://u:pw@x"}}).find("ftp://u:pw@x"), std::string::npos);
}

TEST(MaskUrlPassword, Cases) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"smtp://user:secret@host", "smtp://user:***@host"},
      {"smtps://user:secret@host:465", "smtps://user:***@host:465"},
      {"redis://:secret@host:6379/0", "redis://:***@host:6379/0"},
      {"smtp://user@host:25", "smtp://user@host:25"},
      {"smtp://host:25", "smtp://host:25"},
      {"host:25", "host:25"},
      {"", ""},
      // No scheme, or a broken one (a bad value is printed in the error): the password still goes.
      {"user:secret@host", "user:***@host"},
      {"smtp:/user:secret@host", "smtp:***@host"},
      {"redis://secret@cache:6379", "redis://***@cache:6379"},
      {"postgres://db/parley?user=app&password=hunter2&sslmode=require",
       "postgres://db/parley?user=app&password=***&sslmode=require"},
      {"redis://cache:6379/0?Auth_Token=hunter2", "redis://cache:6379/0?Auth_Token=***"},
      {"smtp://u:secret@host?password=x", "smtp://u:***@host?password=***"},
      {"smtp://host:25?x", "smtp://host:25?x"},
      {"postgres://db/x?user=a@b&password=p", "postgres://db/x?user=a@b&password=***"},
      // An unencoded '@' inside the password: the userinfo ends at the last '@'.
      {"smtp://user:p@ss@host:25", "smtp://user:***@host:25"},
      {"smtp://user:pa/ss@host:25", "smtp://user:***@host:25"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(mask_url_password(in), want) << in;
}

}  // namespace
}  // namespace parley
