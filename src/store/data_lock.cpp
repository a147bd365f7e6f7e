#include "store/data_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace parley::store {
namespace {

std::string read_holder(int fd) {
  char buf[32] = {};
  ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  std::string pid = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid.empty() ? std::string("unknown") : pid;
}

// Takes group and other permissions away from the folder and the files in it (not recursive
// beyond the folders named: later folders of files are made private when created).
// Only a folder that is Parley's (new, empty, or holding its database or lock) is changed: a
// --data pointing at a shared folder such as /tmp must not lock others out of it.
void make_private(const std::filesystem::path& data_dir) {
  namespace fs = std::filesystem;
  constexpr auto others = fs::perms::group_all | fs::perms::others_all;
  std::error_code ec;
  const bool ours = fs::is_empty(data_dir, ec) || fs::exists(data_dir / "parley.db", ec) ||
                    fs::exists(data_dir / "parley.lock", ec);
  if (!ours) return;
  fs::permissions(data_dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  if (ec) throw DataLockError("cannot make " + data_dir.string() + " private: " + ec.message());
  for (const fs::path& dir : {data_dir, data_dir / "outbox", data_dir / "keys"}) {
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      const auto st = entry.symlink_status(ec);
      if (ec || (st.permissions() & others) == fs::perms::none) continue;
      if (fs::is_regular_file(st) || fs::is_directory(st))
        fs::permissions(entry.path(), others, fs::perm_options::remove, ec);
    }
  }
}

}  // namespace

DataLock::DataLock(const std::filesystem::path& data_dir) : path_(data_dir / "parley.lock") {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) throw DataLockError("cannot create data folder " + data_dir.string() + ": " + ec.message());
  make_private(data_dir);
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) throw DataLockError("cannot open " + path_.string() + ": " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    std::string holder = read_holder(fd_);
    ::close(fd_);
    fd_ = -1;
    if (err == EWOULDBLOCK)
      throw DataLockError("another parley process (pid " + holder + ") holds the data folder " + data_dir.string());
    throw DataLockError("cannot lock " + path_.string() + ": " + std::strerror(err));
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    int err = errno;
    ::close(fd_);
    fd_ = -1;
    throw DataLockError("cannot write " + path_.string() + ": " + std::strerror(err));
  }
}

DataLock::~DataLock() {
  if (fd_ >= 0) {
    // Clear the pid first, so a later reader never names a process that has let go.
    [[maybe_unused]] int rc = ::ftruncate(fd_, 0);
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }
}

}  // namespace parley::store
