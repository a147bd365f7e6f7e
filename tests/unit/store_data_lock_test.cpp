// The data-folder lock: one holder at a time, across open file descriptions and processes.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

#include "store/data_lock.hpp"

#include "temp_dir.hpp"

namespace parley::store {
namespace {

namespace fs = std::filesystem;

using testing_support::TempDir;

TEST(DataLock, CreatesTheFolderAndWritesOurPid) {
  TempDir dir;
  DataLock lock(dir.path / "nested" / "data");
  std::ifstream in(dir.path / "nested" / "data" / "parley.lock");
  int pid = 0;
  in >> pid;
  EXPECT_EQ(pid, ::getpid());
}

TEST(DataLock, SecondHolderIsRefusedWithThePid) {
  TempDir dir;
  auto first = std::make_unique<DataLock>(dir.path);
  try {
    DataLock second(dir.path);
    FAIL() << "second lock acquired";
  } catch (const DataLockError& e) {
    EXPECT_NE(std::string(e.what()).find("another parley process (pid " + std::to_string(::getpid()) + ")"),
              std::string::npos)
        << e.what();
  }
  first.reset();
  EXPECT_NO_THROW(DataLock again(dir.path));
}

TEST(DataLock, AnotherProcessIsRefused) {
  TempDir dir;
  DataLock lock(dir.path);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    int code = 2;
    try {
      DataLock theirs(dir.path);
      code = 0;
    } catch (const DataLockError&) {
      code = 1;
    }
    ::_exit(code);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1) << "the child process got the lock";
}

}  // namespace
}  // namespace parley::store
