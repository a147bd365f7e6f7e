#include "app/node_lease.hpp"

#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <set>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "store/run_sync.hpp"

namespace parley::app {
namespace {

constexpr std::int64_t kNodesLock = 0x70617273'6e6f6431;  // "parsnod1"
constexpr unsigned kNodes = 1024;

std::string host_name() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "";
  return buf;
}

std::int64_t now_ms() { return clock::unix_ms(clock::now()); }

}  // namespace

NodeLease::NodeLease(store::Database& db, IdGenerator& ids) : db_(db), ids_(ids), instance_(random_hex(8)) {
  ids_.set_node(claim());
  thread_ = std::jthread([this](std::stop_token stop) { renew_loop(stop); });
}

NodeLease::~NodeLease() {
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
  try {
    const std::int64_t node = ids_.node();
    store::run_sync(db_.write("node_release", [&](store::Tx& tx) {
      tx.exec("DELETE FROM nodes WHERE node_id = $1 AND instance = $2", {node, instance_});
    }));
  } catch (const std::exception&) {
    // the database is away or closed: the number frees itself after kExpiresAfter
  }
}

unsigned NodeLease::claim() {
  const std::string host = host_name();
  const auto node = store::run_sync(db_.write("node_claim", [&](store::Tx& tx) -> unsigned {
    tx.lock(kNodesLock);
    const std::int64_t now = now_ms();
    std::set<std::int64_t> live;
    for (const auto& r : tx.exec("SELECT node_id FROM nodes WHERE heartbeat_ms > $1", {now - kExpiresAfter.count()}))
      live.insert(r.int64(0));
    unsigned n = 0;
    while (n < kNodes && live.contains(n)) ++n;
    if (n == kNodes) throw store::Error(store::Error::Kind::other, "all 1024 node numbers are held by live nodes");
    tx.exec(
        "INSERT INTO nodes (node_id, instance, host, started_at, heartbeat_ms) VALUES ($1, $2, $3, $4, $5)"
        " ON CONFLICT (node_id) DO UPDATE SET instance = excluded.instance, host = excluded.host,"
        " started_at = excluded.started_at, heartbeat_ms = excluded.heartbeat_ms",
        {std::int64_t{n}, instance_, host, clock::format_rfc3339(clock::now()), now});
    return n;
  }));
  return node;
}

void NodeLease::renew_loop(std::stop_token stop) {
  std::mutex m;
  std::condition_variable_any cv;
  auto last_ok = std::chrono::steady_clock::now();
  while (!stop.stop_requested()) {
    {
      std::unique_lock lock(m);
      cv.wait_for(lock, stop, kRenewEvery, [] { return false; });
    }
    if (stop.stop_requested()) return;
    try {
      const std::int64_t node = ids_.node();
      const bool held = store::run_sync(db_.write("node_renew", [&](store::Tx& tx) {
        tx.exec("UPDATE nodes SET heartbeat_ms = $1 WHERE node_id = $2 AND instance = $3", {now_ms(), node, instance_});
        return tx.changes() == 1;
      }));
      if (!held) {
        const unsigned again = claim();
        log::warn("node number lost (another node took it after missed heartbeats); claimed another",
                  {{"was", node}, {"node", again}});
        ids_.set_node(again);
      }
      last_ok = std::chrono::steady_clock::now();
    } catch (const std::exception& e) {
      if (std::chrono::steady_clock::now() - last_ok > kExpiresAfter / 2)
        log::warn("node heartbeat failing", {{"node", ids_.node()}, {"error", e.what()}});
    }
  }
}

}  // namespace parley::app
