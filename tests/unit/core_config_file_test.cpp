// Configuration from the TOML file and the environment: precedence (flag > PARLEY_* env > file >
// default), value shapes, unknown keys, parse errors, and print_config.
#include <gtest/gtest.h>
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

using ConfigFileTest = testing_support::ConfigFixture;

TEST_F(ConfigFileTest, PrecedenceFlagOverEnvOverFileOverDefault) {
  const std::string file = toml("threads = 3\nmax_body_bytes = 4096\n");
  EXPECT_EQ(load_config({}).threads, 0);
  EXPECT_EQ(load_config({{"config", file}}).threads, 3);
  env("PARLEY_THREADS", "5");
  const Config c = load_config({{"config", file}});
  EXPECT_EQ(c.threads, 5);
  EXPECT_EQ(c.max_body_bytes, 4096u);  // the file still applies to what env does not set
  EXPECT_EQ(c.config_file, file);
  EXPECT_EQ(load_config({{"config", file}, {"threads", "7"}}).threads, 7);
  // PARLEY_CONFIG names the file when --config does not.
  env("PARLEY_CONFIG", file);
  EXPECT_EQ(load_config({}).max_body_bytes, 4096u);
}

TEST_F(ConfigFileTest, TomlValueShapes) {
  const std::string file = toml(
      "listen = \"[::1]:9000\"\ndev = true\nmax_connections = 12\n"
      "cors_origins = [\"https://a.example\", \"https://b.example\"]\nheader_timeout = \"2s\"\n");
  const Config c = load_config({{"config", file}});
  EXPECT_EQ(c.listen_host, "::1");
  EXPECT_EQ(c.listen_port, 9000);
  EXPECT_TRUE(c.dev);
  EXPECT_EQ(c.max_connections, 12u);
  EXPECT_EQ(c.cors_origins, (std::vector<std::string>{"https://a.example", "https://b.example"}));
  EXPECT_EQ(c.header_timeout, 2s);
  EXPECT_NE(error_of({{"config", toml("max_body_bytes = 1.5\n")}}).find("expected a plain value"), std::string::npos);
  EXPECT_NE(error_of({{"config", toml("[server]\nthreads = 1\n")}}).find("server"), std::string::npos);
}

TEST_F(ConfigFileTest, UnknownTomlKeyIsRejectedByName) {
  const std::string file = toml("threads = 2\nmax_bodybytes = 10\n");
  try {
    load_config({{"config", file}});
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.setting(), "max_bodybytes");
    EXPECT_NE(std::string(e.what()).find("not a known setting"), std::string::npos) << e.what();
  }
  EXPECT_NE(error_of({{"config", toml("config = \"x.toml\"\n")}}).find("not a known setting"), std::string::npos);
}

TEST_F(ConfigFileTest, TomlParseErrorReportsTheLine) {
  const std::string file = toml("threads = 2\n\nlisten = \"127.0.0.1:1\n");
  const std::string err = error_of({{"config", file}});
  EXPECT_NE(err.find("invalid setting config"), std::string::npos) << err;
  EXPECT_NE(err.find(file), std::string::npos) << err;
  EXPECT_NE(err.find("line 3"), std::string::npos) << err;
  const std::string missing = error_of({{"config", "/nonexistent/parley.toml"}});
  EXPECT_NE(missing.find("/nonexistent/parley.toml"), std::string::npos) << missing;
}

TEST_F(ConfigFileTest, FileValueOverriddenByEnvIsNotValidated) {
  const std::string file = toml("threads = 999\n");
  env("PARLEY_THREADS", "4");
  EXPECT_EQ(load_config({{"config", file}}).threads, 4);
}

TEST_F(ConfigFileTest, PrintConfigMasksSecretsAndShowsValues) {
  const Config c = load_config({{"smtp-url", "smtp://user:hunter2@mail.example:25"},
                                {"redis", "redis://:hunter2@cache:6379/0"},
                                {"listen", "[::1]:0"},
                                {"idle-timeout", "90s"},
                                {"header-timeout", "1500ms"},
                                {"cors-origins", "https://a.example,https://b.example"}});
  const std::string out = print_config(c);
  EXPECT_EQ(out.find("hunter2"), std::string::npos) << out;
  EXPECT_NE(out.find("smtp_url = \"smtp://user:***@mail.example:25\"\n"), std::string::npos) << out;
  EXPECT_NE(out.find("redis = \"redis://:***@cache:6379/0\"\n"), std::string::npos) << out;
  EXPECT_NE(out.find("listen = \"[::1]:0\"\n"), std::string::npos) << out;
  EXPECT_NE(out.find("idle_timeout = \"90s\"\n"), std::string::npos) << out;
  EXPECT_NE(out.find("header_timeout = \"1500ms\"\n"), std::string::npos) << out;
  EXPECT_NE(out.find("cors_origins = [\"https://a.example\", \"https://b.example\"]\n"), std::string::npos) << out;
  EXPECT_NE(out.find("max_body_bytes = 1048576\n"), std::string::npos) << out;
  EXPECT_NE(out.find("dev = false\n"), std::string::npos) << out;
}

TEST_F(ConfigFileTest, PrintedConfigLoadsBackUnchanged) {
  const Config c = load_config({{"listen", "0.0.0.0:9001"}, {"threads", "3"}, {"dev", "true"},
                                {"shutdown-timeout", "2m"}, {"cors-origins", "https://a.example"},
                                {"app-name", "Say \"hi\""}});
  const std::string printed = print_config(c);
  const Config back = load_config({{"config", toml(printed)}});
  const std::string file_line = "# config file: " + back.config_file + "\n";
  std::string again = print_config(back);
  ASSERT_NE(again.find(file_line), std::string::npos) << again;
  again.erase(again.find(file_line), file_line.size());
  EXPECT_EQ(again, printed);
}

}  // namespace
}  // namespace parley
