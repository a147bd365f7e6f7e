#pragma once
// Spawning a child with posix_spawn: stdin from a file, stdout and stderr to files, an
// environment made of ours minus every PARLEY_* variable plus the given ones (so a developer's
// shell never leaks into a test), and no other inherited descriptors.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace parley::it {

using Env = std::vector<std::pair<std::string, std::string>>;

struct SpawnSpec {
  std::vector<std::string> argv;  // argv[0] is the program (searched in PATH if not a path)
  Env env;
  std::filesystem::path stdin_path = "/dev/null";
  std::filesystem::path stdout_path;
  std::filesystem::path stderr_path;
};

// Throws std::system_error if the program cannot be started.
pid_t spawn_child(const SpawnSpec& spec);

// Waits up to `timeout` for the child to end. Returns its exit code (128 + signal number if a
// signal ended it), or nullopt if it is still running.
std::optional<int> wait_child(pid_t pid, std::chrono::milliseconds timeout);

// The path of the server under test: $PARLEY_IT_BINARY if set, else the one CMake built.
std::string parley_binary();

std::string read_file(const std::filesystem::path& path);

}  // namespace parley::it
