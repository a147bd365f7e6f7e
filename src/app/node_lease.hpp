#pragma once
// This server's node number among the servers sharing one database: the node bits of every id it
// makes (core/ids.hpp), so two nodes never make the same id. Claimed at start (the lowest number no
// live node holds, under a cluster-wide lock), renewed every 5 s on a thread of its own, released
// at a clean stop. A number whose heartbeat is 30 s old is free: a node that could not renew for
// that long (the database away) claims a number again, and logs it.
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "core/ids.hpp"
#include "store/database.hpp"

namespace parley::app {

class NodeLease {
 public:
  // Claims a number (throws store::Error when the database cannot be written) and sets it on `ids`.
  NodeLease(store::Database& db, IdGenerator& ids);
  ~NodeLease();  // stops renewing and releases the number
  NodeLease(const NodeLease&) = delete;
  NodeLease& operator=(const NodeLease&) = delete;

  unsigned node() const { return ids_.node(); }
  const std::string& instance() const { return instance_; }

  static constexpr std::chrono::milliseconds kRenewEvery{5000};
  static constexpr std::chrono::milliseconds kExpiresAfter{30'000};

 private:
  unsigned claim();
  void renew_loop(std::stop_token stop);

  store::Database& db_;
  IdGenerator& ids_;
  std::string instance_;
  std::jthread thread_;
};

}  // namespace parley::app
