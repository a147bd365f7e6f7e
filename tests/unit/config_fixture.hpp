// Shared by the configuration tests: a fixture that clears PARLEY_* variables (and restores
// them), sets variables and writes TOML files for one test.
#pragma once
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "core/config.hpp"

extern char** environ;

namespace parley::testing_support {

namespace fs = std::filesystem;

// Clears every PARLEY_* variable for the test and restores them afterwards.
class ConfigFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    for (char** e = environ; *e; ++e) {
      std::string kv(*e);
      if (kv.starts_with("PARLEY_")) saved_.emplace_back(kv.substr(0, kv.find('=')), kv.substr(kv.find('=') + 1));
    }
    for (const auto& [k, v] : saved_) ::unsetenv(k.c_str());
  }
  void TearDown() override {
    for (const auto& k : set_) ::unsetenv(k.c_str());
    for (const auto& [k, v] : saved_) ::setenv(k.c_str(), v.c_str(), 1);
    for (const auto& f : files_) fs::remove(f);
  }
  void env(const std::string& k, const std::string& v) {
    ::setenv(k.c_str(), v.c_str(), 1);
    set_.push_back(k);
  }
  std::string toml(const std::string& text) {
    static std::atomic<int> n{0};
    const fs::path p = fs::temp_directory_path() /
                       ("parley_config_test_" + std::to_string(::getpid()) + "_" + std::to_string(n++) + ".toml");
    std::ofstream(p) << text;
    files_.push_back(p);
    return p.string();
  }
  // The ConfigError message load_config raises, or "" when it succeeds.
  static std::string error_of(const FlagValues& flags) {
    try {
      load_config(flags);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  }

 private:
  std::vector<std::pair<std::string, std::string>> saved_;
  std::vector<std::string> set_;
  std::vector<fs::path> files_;
};

}  // namespace parley::testing_support
