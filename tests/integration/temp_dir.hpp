#pragma once
// A fresh directory under $TMPDIR (mkdtemp), removed with everything in it on destruction.
#include <filesystem>
#include <string_view>

namespace parley::it {

class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "parley-it");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace parley::it
