#pragma once
// Ed25519 signing keys for access tokens (and device tokens), kept in the database (table
// signing_keys, migration 0007), so that every server sharing the database signs and verifies
// with the same keys. The newest key that is not retired signs; `parley keys rotate` adds a key
// and retires the others, whose public halves stay in the JWKS (and verify) until every token
// they signed has expired. `parley keys rotate --revoke-previous` deletes the others instead:
// they leave the JWKS and stop verifying as soon as the servers have reloaded. A running server
// polls the keys' version (KeyWatcher: one small query every second, a reload when it changed),
// so either takes effect within about a second on every node, without a restart.
//
// Versions before 0007 kept the keys in DATA/keys/<kid>.json; the first start on a database
// without keys imports those files once (tokens they signed stay valid), else creates a key.
#include <boost/json/object.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace boost::asio {
class io_context;
}
namespace parley::store {
class Database;
}

namespace parley::auth {

struct SigningKey {
  std::string kid;
  std::array<std::uint8_t, 64> secret{};
  std::array<std::uint8_t, 32> public_key{};
  std::int64_t created_ms = 0;
  std::optional<std::int64_t> retired_ms;
};

// The synchronous calls below run the store on a private io_context (store::run_sync): call them
// from a plain thread (main, the watcher), never from an I/O thread.
class KeyRing {
 public:
  struct Snapshot {
    std::vector<SigningKey> keys;  // newest first
    const SigningKey* find(std::string_view kid) const;
    // The key that signs: the newest one not retired (the newest of all if every one is).
    const SigningKey& signing() const;
  };

  // Loads the keys from `db`; when it has none yet, first imports legacy_dir/*.json (the key files
  // of older versions, usually DATA/keys) or, without any, creates the first key. Several servers
  // starting at once on one database agree on one set. Throws when no key can be loaded.
  KeyRing(store::Database& db, std::filesystem::path legacy_dir);
  ~KeyRing();
  KeyRing(const KeyRing&) = delete;
  KeyRing& operator=(const KeyRing&) = delete;
  void reload();
  // Reloads when the keys changed (their version in the store moved) since the last load; true then.
  bool reload_if_changed();
  std::shared_ptr<const Snapshot> snapshot() const { return snapshot_.load(std::memory_order_acquire); }

  // The JWKS document: every key not retired for longer than `token_ttl_ms`.
  boost::json::object jwks(std::int64_t now_ms, std::int64_t token_ttl_ms) const;

  struct Rotation {
    std::string kid;                   // the new signing key
    std::vector<std::string> revoked;  // the keys deleted
  };
  // Adds a key and retires the current ones (with `revoke_previous`, deletes every other key
  // instead: a leak) in one transaction; safe while servers run. The keys of a database without
  // any are first set up as the constructor does (legacy_dir imported). With `revoke_previous`,
  // the revoked keys' old files in legacy_dir are deleted too.
  static Rotation rotate(store::Database& db, const std::filesystem::path& legacy_dir, bool revoke_previous = false);

 private:
  store::Database& db_;
  std::filesystem::path legacy_dir_;
  std::atomic<std::shared_ptr<const Snapshot>> snapshot_;
  std::mutex reload_mutex_;     // held while io_ runs
  std::unique_ptr<boost::asio::io_context> io_;  // kept: a server database's read connection lasts
  std::int64_t version_ = -1;  // of the keys at the last load
};

// Reloads `ring` when its keys change, looking every `interval` on a thread of its own (not an
// I/O thread, not the worker pool, which a login storm can fill), and logs each change. Stops
// when destroyed.
class KeyWatcher {
 public:
  KeyWatcher(KeyRing& ring, std::chrono::milliseconds interval);
  ~KeyWatcher();
  KeyWatcher(const KeyWatcher&) = delete;
  KeyWatcher& operator=(const KeyWatcher&) = delete;

 private:
  std::jthread thread_;
};

}  // namespace parley::auth
