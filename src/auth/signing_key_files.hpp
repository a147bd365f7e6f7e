#pragma once
// The key files of versions before migration 0007 (DATA/keys/<kid>.json, mode 0600): read once,
// to import them into the database, and deleted when `parley keys rotate --revoke-previous`
// revokes the keys they hold.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace parley::auth {

// A key as stored: its 32-byte seed (the Ed25519 pair derives from it).
struct StoredKey {
  std::string kid;
  std::vector<std::uint8_t> seed;
  std::int64_t created_ms = 0;
  std::optional<std::int64_t> retired_ms;
};

// Every readable key file in `dir` (none when it does not exist); a damaged file is skipped.
std::vector<StoredKey> read_key_files(const std::filesystem::path& dir);
// Deletes dir/<kid>.json for each kid, where present.
void remove_key_files(const std::filesystem::path& dir, const std::vector<std::string>& kids);

}  // namespace parley::auth
