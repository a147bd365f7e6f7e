#pragma once
// Exclusive ownership of a data folder for one parley process (serve, migrate, restore). Takes
// flock(LOCK_EX | LOCK_NB) on DATA/parley.lock and writes our pid into it; released when the
// object is destroyed (or the process dies: the kernel drops the lock).
// The folder is private to the server's user: it is made 0700, and files that others could read
// at its top level and in outbox/ and keys/ (a folder made by an older version) become 0600.
#include <filesystem>
#include <stdexcept>
#include <string>

namespace parley::store {

class DataLockError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class DataLock {
 public:
  // Creates data_dir if missing (0700). Throws DataLockError naming the holder's pid when another
  // process (or another DataLock in this one) holds the folder.
  explicit DataLock(const std::filesystem::path& data_dir);
  ~DataLock();
  DataLock(const DataLock&) = delete;
  DataLock& operator=(const DataLock&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace parley::store
