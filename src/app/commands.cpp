// One-shot commands: migrate, keys rotate, version.
#include "app/app.hpp"
#include "app/command_store.hpp"
#include "auth/signing_keys.hpp"
#include "core/build_info.hpp"
#include "store/data_lock.hpp"
#include "store/migrations.hpp"
#include "store/open.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdio>
#include <optional>

namespace parley::app {

int migrate(const Config& config, const std::string& action, int steps) {
  try {
    // The embedded store is one server's: not while it runs. PostgreSQL's migrations take a lock.
    std::optional<store::DataLock> lock;
    if (config.database.empty()) lock.emplace(config.data_dir);
    metrics::Registry registry;
    auto db = store::open_database({config.database, config.data_dir, config.slow_store, 512}, registry);
    store::Migrator migrator(*db);
    if (action == "up") {
      const int n = migrator.up(steps > 0 ? std::optional<int>(steps) : std::nullopt);
      fmt::print("applied {} migration(s)\n", n);
    } else if (action == "down") {
      const int n = migrator.down(steps > 0 ? steps : 1);
      fmt::print("rolled back {} migration(s)\n", n);
    } else {
      for (const auto& s : migrator.status())
        fmt::print("{:04}  {:<24} {}\n", s.version, s.name, s.applied ? "applied " + s.applied_at : "pending");
    }
    db->close();
    return 0;
  } catch (const std::exception& e) {
    fmt::print(stderr, "parley: migrate {} failed: {}\n", action, e.what());
    return 1;
  }
}

int rotate_keys(const Config& config, bool revoke_previous) {
  try {
    // In the database (shared by every server on it), which a running server may hold open.
    metrics::Registry registry;
    auto db = open_command_store(config, registry);
    auth::KeyRing::Rotation r;
    try {
      r = auth::KeyRing::rotate(*db, config.data_dir / "keys", revoke_previous);
    } catch (...) {
      db->close();
      throw;
    }
    db->close();
    if (!revoke_previous) {
      fmt::print("new signing key {}; the previous keys stay in the JWKS until their tokens expire\n", r.kid);
    } else {
      fmt::print("new signing key {}; revoked {} previous key(s) [{}]: the tokens they signed (access and device "
                 "tokens) stop working as soon as the servers have reloaded (within about a second)\n",
                 r.kid, r.revoked.size(), fmt::join(r.revoked, ", "));
    }
    return 0;
  } catch (const std::exception& e) {
    fmt::print(stderr, "parley: keys rotate failed: {}\n", e.what());
    return 1;
  }
}

int print_version() {
  fmt::print("parley {} ({}, {})\n", build::version, build::build_type, build::compiler);
  return 0;
}

}  // namespace parley::app
