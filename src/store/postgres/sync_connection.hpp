#pragma once
// One blocking PostgreSQL connection with a prepared-statement cache, for the writer thread
// (never an I/O thread): the writer's transaction is a conversation, each statement waiting for
// the last one's rows. Control statements with no result of interest (SAVEPOINT, RELEASE) are
// queued in libpq's pipeline and travel with the next statement, so a job costs no extra round
// trip for its savepoint.
#include <libpq-fe.h>

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/error.hpp"
#include "store/value.hpp"

namespace parley::store::pg {

class SyncConnection {
 public:
  // Connects (blocking, at most connect_timeout); throws Error(unavailable) when it cannot.
  explicit SyncConnection(const std::string& conninfo);
  ~SyncConnection();
  SyncConnection(const SyncConnection&) = delete;
  SyncConnection& operator=(const SyncConnection&) = delete;

  // Runs one statement (prepared and cached on first use) and returns its rows; a script (several
  // statements, no parameters) runs whole. Throws store::Error.
  Rows exec(std::string_view sql, std::span<const Value> params = {});
  // Queues a statement whose result is only checked, sent with the next exec or flush().
  void queue(std::string_view sql);
  // Sends what is queued and checks every result; throws the first error.
  void flush();
  std::int64_t changes() const { return changes_; }
  // False once the connection is lost: the writer opens another.
  bool ok() const;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // Sends queued statements and the statement (if any), syncs, and collects results in order;
  // returns the statement's result (owned by the caller) or throws the first error.
  PGresult* round_trip(std::string_view sql, std::span<const Value> params, bool has_statement);
  Rows run_script(std::string_view sql);
  [[noreturn]] void lost(std::string_view what);

  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> prepared_;  // sql -> name
  std::vector<std::string> queued_;
  std::uint64_t prepared_count_ = 0;
  std::int64_t changes_ = 0;
};

}  // namespace parley::store::pg
