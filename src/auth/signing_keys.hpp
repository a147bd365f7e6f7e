#pragma once
// Ed25519 signing keys for access tokens, kept in DATA/keys/<kid>.json (mode 0600). The newest
// key signs; `parley keys rotate` adds a key and retires the others, whose public halves stay in
// the JWKS until every token they signed has expired. A running server picks up a rotation on
// reload() (the server calls it periodically).
#include <boost/json/object.hpp>

#include <array>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
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
    std::vector<SigningKey> keys;  // newest first; keys[0] signs
    const SigningKey* find(std::string_view kid) const;
  };

  // Loads DATA/keys, creating the first key when there is none.
  explicit KeyRing(std::filesystem::path dir);
  void reload();
  std::shared_ptr<const Snapshot> snapshot() const { return snapshot_.load(std::memory_order_acquire); }

  // The JWKS document: every key not retired for longer than `token_ttl_ms`.
  boost::json::object jwks(std::int64_t now_ms, std::int64_t token_ttl_ms) const;

  // Adds a key and retires the current ones; returns the new kid. Safe while a server runs.
  static std::string rotate(const std::filesystem::path& dir);

 private:
  std::filesystem::path dir_;
  std::atomic<std::shared_ptr<const Snapshot>> snapshot_;
};

}  // namespace parley::auth
