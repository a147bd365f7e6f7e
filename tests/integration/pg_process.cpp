#include "pg_process.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>

#include "run_command.hpp"

namespace parley::it {
namespace {

const char* pg_bin() {
  const char* b = std::getenv("PARLEY_TEST_PG_BIN");
  return b ? b : "/usr/lib/postgresql/15/bin";
}

// argv run as the postgres user when we are root (PostgreSQL refuses to run as root).
std::vector<std::string> as_owner(std::vector<std::string> argv) {
  if (::geteuid() != 0) return argv;
  argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
  return argv;
}

}  // namespace

std::uint16_t free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

PgProcess::PgProcess() : dir_(std::make_unique<TempDir>("parley-pg")), port_(free_loopback_port()) {
  namespace fs = std::filesystem;
  fs::permissions(dir_->path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                    fs::perms::others_read | fs::perms::others_exec);
  if (::geteuid() == 0) {
    auto r = run_command({"chown", "postgres", dir_->path().string()});
    if (r.exit_code != 0) throw std::runtime_error("chown postgres: " + r.err);
  }
  auto r = run_command(as_owner({std::string(pg_bin()) + "/initdb", "-D", (dir_->path() / "data").string(), "-A", "trust",
                                 "-U", "parley", "-E", "UTF8", "--no-sync"}),
                       {.timeout = std::chrono::seconds(60)});
  if (r.exit_code != 0) throw std::runtime_error("initdb failed: " + r.out + r.err);
  start();
  auto c = run_command({"psql", "-X", "-q", url("postgres"), "-c", "CREATE DATABASE parley"});
  if (c.exit_code != 0) throw std::runtime_error("CREATE DATABASE failed: " + c.err);
}

PgProcess::~PgProcess() {
  if (running_) {
    try {
      pg_ctl("stop", "-m immediate");
    } catch (const std::exception&) {
    }
  }
}

std::string PgProcess::url(const std::string& database) const {
  return "postgresql://parley@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

void PgProcess::pg_ctl(const std::string& action, const std::string& extra) {
  std::vector<std::string> argv = {std::string(pg_bin()) + "/pg_ctl", "-D", (dir_->path() / "data").string(), "-w", "-t", "30",
                                   "-l", (dir_->path() / "server.log").string()};
  if (action == "start")
    argv.insert(argv.end(), {"-o", "-p " + std::to_string(port_) + " -k " + dir_->path().string() +
                                       " -c listen_addresses=127.0.0.1 -c fsync=off"});
  if (!extra.empty()) {
    argv.push_back(extra.substr(0, 2));
    argv.push_back(extra.substr(3));
  }
  argv.push_back(action);
  auto r = run_command(as_owner(argv), {.timeout = std::chrono::seconds(40)});
  if (r.exit_code != 0) throw std::runtime_error("pg_ctl " + action + " failed: " + r.out + r.err);
}

void PgProcess::stop() {
  pg_ctl("stop", "-m fast");
  running_ = false;
}

void PgProcess::start() {
  pg_ctl("start");
  running_ = true;
}

}  // namespace parley::it
