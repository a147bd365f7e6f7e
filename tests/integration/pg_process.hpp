#pragma once
// A PostgreSQL 15 server of one test's own (initdb into a temporary folder, 127.0.0.1, a free
// port), for tests that stop and restart the database under a running Parley. Run as the
// `postgres` system user when the tests run as root. Stopped (immediately) and removed at the end.
#include <cstdint>
#include <memory>
#include <string>

#include "temp_dir.hpp"

namespace parley::it {

// A loopback port nobody holds at the moment of asking.
std::uint16_t free_loopback_port();

class PgProcess {
 public:
  PgProcess();  // initdb + start; throws std::runtime_error with the server's log
  ~PgProcess();
  PgProcess(const PgProcess&) = delete;
  PgProcess& operator=(const PgProcess&) = delete;

  // postgresql://parley@127.0.0.1:PORT/<database>; "parley" is created at start.
  std::string url(const std::string& database = "parley") const;
  void stop();   // fast shutdown: sessions are cut, as in a restart or a failover
  void start();  // again, same port and data
  std::uint16_t port() const { return port_; }

 private:
  void pg_ctl(const std::string& action, const std::string& extra = "");
  std::unique_ptr<TempDir> dir_;
  std::uint16_t port_ = 0;
  bool running_ = false;
};

}  // namespace parley::it
