#pragma once
// `parley migrate-data --to URL`: copies the embedded deployment of the data folder (--data)
// into an empty database — `postgres://…`, or another data folder as `sqlite:/path/folder` (or
// just its path) — then verifies the copy table by table (row count and checksum) before saying
// it is done. Takes the data folder's lock, so it refuses while a server runs on it.
// Exit codes: 0 copied and verified; 1 failed (the folder is in use, a store error, a copy that
// differs); 2 bad usage (a bad URL, a target that is not empty).
#include <filesystem>
#include <string>

#include "core/config.hpp"

namespace parley::app {

struct DataTarget {
  enum class Kind { sqlite, postgres } kind = Kind::sqlite;
  std::filesystem::path folder;  // sqlite: the data folder
  std::string url;               // postgres: the connection URL
};

// "postgres://…" / "postgresql://…", "sqlite:/path", "sqlite:///path", "sqlite:relative", or a
// plain path. Throws std::invalid_argument for an empty value or another scheme.
DataTarget parse_data_target(const std::string& to);

int migrate_data(const Config& config, const std::string& to);

}  // namespace parley::app
