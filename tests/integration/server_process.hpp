#pragma once
// One running `parley serve` for one test: its own temporary data folder (unless one is given),
// listening on 127.0.0.1:0 (the port is read from the "listening" log line), stdout and stderr
// captured to files. Killed (SIGKILL) on destruction if still running.
#include <sys/types.h>

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "temp_dir.hpp"

namespace parley::it {

struct ServerOptions {
  std::vector<std::string> args;                  // appended after serve --listen --data
  Env env;
  std::optional<std::filesystem::path> data_dir;  // default: a fresh folder, removed at the end
  bool wait_ready = true;                         // wait for the port and /readyz 200
};

class ServerProcess {
 public:
  explicit ServerProcess(ServerOptions options = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Waits for the "listening" line and then /readyz 200. Throws std::runtime_error (with the
  // server's output) if that does not happen within `timeout` or the process ends.
  void wait_ready(std::chrono::milliseconds timeout = std::chrono::seconds(15));

  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }

  std::string stdout_text() const;
  std::string stderr_text() const;
  std::vector<boost::json::object> log_lines() const;
  // Polls the log until a line satisfies `pred`.
  std::optional<boost::json::object> wait_for_log(
      const std::function<bool(const boost::json::object&)>& pred,
      std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;
  // The first log line with "msg" == msg.
  std::optional<boost::json::object> wait_for_msg(
      const std::string& msg, std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

  void send_signal(int sig);
  // The exit code (128 + signal if killed), or nullopt if still running after `timeout`.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);
  bool running();

  // Output for failure messages: the tail of stdout and stderr.
  std::string describe() const;

 private:
  std::unique_ptr<TempDir> dir_;
  std::filesystem::path data_dir_;
  std::filesystem::path stdout_path_;
  std::filesystem::path stderr_path_;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::uint16_t port_ = 0;
  std::string own_database_;  // the PostgreSQL run: this server's database, dropped with it
};

}  // namespace parley::it
