#pragma once
// The signing keys' rows in the store (tables signing_keys and signing_keys_state, migration
// 0007), through store::Database only. KeyRing (signing_keys.hpp) is the synchronous face.
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "auth/signing_key_files.hpp"
#include "auth/signing_keys.hpp"

namespace parley::store {
class Database;
}

namespace parley::auth {

// A fresh key: random seed and kid.
StoredKey new_stored_key(std::int64_t created_ms);
// The key pair of a stored key. Throws std::runtime_error when its seed is not 32 bytes.
SigningKey signing_key_of(const StoredKey& stored);

struct KeySetup {
  bool first = false;        // this call created the database's first keys
  std::size_t imported = 0;  // of them, how many came from key files
};
// Makes sure the database has keys: when it has none, imports the key files in legacy_dir, or
// (without any) creates one. Race-free: of several callers at once (servers starting together on
// one database), exactly one inserts the keys (the signing_keys_state row, ON CONFLICT DO
// NOTHING), the others see its keys.
boost::asio::awaitable<KeySetup> ensure_signing_keys(store::Database& db, const std::filesystem::path& legacy_dir);

// The keys' version: grows with every change of signing_keys; 0 before the first keys.
boost::asio::awaitable<std::int64_t> signing_keys_version(store::Database& db);

struct LoadedKeys {
  std::int64_t version = 0;  // read before the keys: a change meanwhile shows at the next look
  std::vector<SigningKey> keys;  // newest first
};
boost::asio::awaitable<LoadedKeys> load_signing_keys(store::Database& db);

// A new key that signs from now on; the others retired (or, with revoke_previous, deleted), and
// the version moved, in one transaction.
boost::asio::awaitable<KeyRing::Rotation> rotate_signing_keys(store::Database& db, bool revoke_previous);

}  // namespace parley::auth
