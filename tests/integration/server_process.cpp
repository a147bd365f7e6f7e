#include "server_process.hpp"

#include <signal.h>

#include <stdexcept>
#include <thread>

#include "http_client.hpp"
#include "log_lines.hpp"
#include "test_backend.hpp"

namespace parley::it {

ServerProcess::ServerProcess(ServerOptions options)
    : dir_(std::make_unique<TempDir>("parley-server")) {
  data_dir_ = options.data_dir ? *options.data_dir : dir_->path() / "data";
  stdout_path_ = dir_->path() / "stdout.log";
  stderr_path_ = dir_->path() / "stderr.log";
  SpawnSpec spec;
  spec.argv = {parley_binary(), "serve", "--listen", "127.0.0.1:0", "--data", data_dir_.string()};
  spec.argv.insert(spec.argv.end(), options.args.begin(), options.args.end());
  spec.env = options.env;
  add_backend_env(spec.argv, spec.env);  // the PostgreSQL run: the folder's own database
  if (!options.data_dir && on_postgres())
    for (const auto& [k, v] : spec.env)
      if (k == "PARLEY_DATABASE") own_database_ = v;
  // The web app built in the source tree would answer unknown GET paths with its index.html;
  // tests see the API alone unless they ask for an app (--web-root or PARLEY_WEB_ROOT).
  bool web_root_given = false;
  for (const auto& [k, v] : spec.env) web_root_given = web_root_given || k == "PARLEY_WEB_ROOT";
  if (!web_root_given) spec.env.emplace_back("PARLEY_WEB_ROOT", "off");
  spec.stdout_path = stdout_path_;
  spec.stderr_path = stderr_path_;
  pid_ = spawn_child(spec);
  if (!options.wait_ready) return;
  try {
    wait_ready();
  } catch (...) {
    // A constructor that throws runs no destructor: do not leave the child behind.
    if (running()) {
      ::kill(pid_, SIGKILL);
      wait_exit(std::chrono::seconds(5));
    }
    throw;
  }
}

ServerProcess::~ServerProcess() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    wait_exit(std::chrono::seconds(5));
  }
  if (!own_database_.empty()) {
    try {
      drop_database_of(own_database_);
    } catch (const std::exception&) {
      // the server is gone with its temporary folder; a database left behind goes with the cluster
    }
  }
}

void ServerProcess::wait_ready(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!running())
      throw std::runtime_error("parley exited with code " + std::to_string(*exit_code_) +
                               " before it was ready\n" + describe());
    if (port_ == 0) {
      for (const auto& line : log_lines()) {
        if (log_string(line, "msg") != "listening") continue;
        if (auto* p = line.if_contains("port"); p != nullptr && p->is_int64())
          port_ = static_cast<std::uint16_t>(p->as_int64());
      }
    }
    if (port_ != 0) {
      try {
        HttpClient client(port_, std::chrono::milliseconds(1000));
        if (client.get("/readyz").result_int() == 200) return;
      } catch (const std::exception&) {
        // not accepting yet
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error(port_ == 0 ? "no \"listening\" log line with a port within the timeout\n" + describe()
                                      : "/readyz did not answer 200 within the timeout\n" + describe());
}

std::string ServerProcess::stdout_text() const { return read_file(stdout_path_); }
std::string ServerProcess::stderr_text() const { return read_file(stderr_path_); }

std::vector<boost::json::object> ServerProcess::log_lines() const {
  return parse_log_lines(stdout_text());
}

std::optional<boost::json::object> ServerProcess::wait_for_log(
    const std::function<bool(const boost::json::object&)>& pred,
    std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    for (auto& line : log_lines())
      if (pred(line)) return std::move(line);
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
}

std::optional<boost::json::object> ServerProcess::wait_for_msg(
    const std::string& msg, std::chrono::milliseconds timeout) const {
  return wait_for_log([&](const auto& line) { return log_string(line, "msg") == msg; }, timeout);
}

void ServerProcess::send_signal(int sig) {
  if (running()) ::kill(pid_, sig);
}

std::optional<int> ServerProcess::wait_exit(std::chrono::milliseconds timeout) {
  if (!exit_code_) exit_code_ = wait_child(pid_, timeout);
  return exit_code_;
}

bool ServerProcess::running() { return !wait_exit(std::chrono::milliseconds(0)); }

std::string ServerProcess::describe() const {
  auto tail = [](std::string s) {
    constexpr std::size_t max = 4000;
    return s.size() > max ? "..." + s.substr(s.size() - max) : s;
  };
  return "--- parley stdout ---\n" + tail(stdout_text()) + "\n--- parley stderr ---\n" +
         tail(stderr_text());
}

}  // namespace parley::it
