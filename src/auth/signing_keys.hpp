#pragma once
// Ed25519 signing keys for access tokens (and device tokens), kept in DATA/keys/<kid>.json (mode
// 0600). The newest key that is not retired signs; `parley keys rotate` adds a key and retires the
// others, whose public halves stay in the JWKS (and verify) until every token they signed has
// expired. `parley keys rotate --revoke-previous` deletes the others instead: they leave the JWKS
// and stop verifying as soon as the server has reloaded. A running server watches the folder
// (KeyWatcher: a look every second, a reload when a file changed), so either takes effect within
// about a second, without a restart.
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

namespace parley::auth {

struct SigningKey {
  std::string kid;
  std::array<std::uint8_t, 64> secret{};
  std::array<std::uint8_t, 32> public_key{};
  std::int64_t created_ms = 0;
  std::optional<std::int64_t> retired_ms;
};

class KeyRing {
 public:
  struct Snapshot {
    std::vector<SigningKey> keys;  // newest first
    const SigningKey* find(std::string_view kid) const;
    // The key that signs: the newest one not retired (the newest of all if every one is).
    const SigningKey& signing() const;
  };

  // Loads DATA/keys, creating the first key when there is none.
  explicit KeyRing(std::filesystem::path dir);
  void reload();
  // Reloads when a file of the folder was added, removed or changed since the last look; true then.
  bool reload_if_changed();
  std::shared_ptr<const Snapshot> snapshot() const { return snapshot_.load(std::memory_order_acquire); }

  // The JWKS document: every key not retired for longer than `token_ttl_ms`.
  boost::json::object jwks(std::int64_t now_ms, std::int64_t token_ttl_ms) const;

  // Adds a key and retires the current ones; returns the new kid. Safe while a server runs.
  static std::string rotate(const std::filesystem::path& dir);
  // The same; with `revoke_previous`, every other key is deleted instead of retired (a leak).
  struct Rotation {
    std::string kid;                   // the new signing key
    std::vector<std::string> revoked;  // the keys deleted
  };
  static Rotation rotate(const std::filesystem::path& dir, bool revoke_previous);

 private:
  std::filesystem::path dir_;
  std::atomic<std::shared_ptr<const Snapshot>> snapshot_;
  std::mutex reload_mutex_;
  std::string fingerprint_;  // of the folder at the last reload (names, sizes, times)
};

// Reloads `ring` when its folder changes, looking every `interval` on a thread of its own (not
// the worker pool, which a login storm can fill), and logs each change. Stops when destroyed.
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
