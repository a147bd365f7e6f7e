#pragma once
// Reading the outbox folder (DATA/outbox/*.eml) for the --dev endpoints.
#include "mail/message.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace parley::mail {

struct OutboxEntry {
  std::string id;          // the file name without .eml
  std::string created_at;  // RFC 3339, from the id's time
  Parsed message;
};

// Newest first, at most `limit`.
std::vector<OutboxEntry> list_outbox(const std::filesystem::path& dir, std::size_t limit = 200);
// nullopt for an unknown (or malformed) id.
std::optional<OutboxEntry> read_outbox(const std::filesystem::path& dir, const std::string& id);

}  // namespace parley::mail
