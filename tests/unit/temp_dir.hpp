#pragma once
// A fresh folder under the system temp directory for one test, removed afterwards.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

namespace parley::testing_support {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    static std::atomic<int> n{0};
    path = std::filesystem::temp_directory_path() /
           ("parley_test_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
    std::filesystem::remove_all(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

}  // namespace parley::testing_support
