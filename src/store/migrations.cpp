// Groups the embedded migration files into Migration entries.
#include "store/migrations.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <stdexcept>

namespace parley::store {
namespace {

std::vector<Migration> assemble() {
  std::map<int, Migration> by_version;
  for (const detail::MigrationFile& f : detail::migration_files()) {
    auto sep = f.stem.find('_');
    int version = 0;
    auto [end, ec] = std::from_chars(f.stem.data(), f.stem.data() + sep, version);
    if (ec != std::errc() || end != f.stem.data() + sep || version <= 0)
      throw std::logic_error("migration " + std::string(f.stem) + ": bad version");
    Migration& m = by_version[version];
    std::string name(f.stem.substr(sep + 1));
    if (m.version != 0 && m.name != name)
      throw std::logic_error("migration " + std::to_string(version) + " has two names: " + m.name + ", " + name);
    m.version = version;
    m.name = name;
    std::optional<MigrationSql>* slot = nullptr;
    if (f.backend == "sqlite") slot = &m.sqlite;
    else if (f.backend == "postgres") slot = &m.postgres;
    else throw std::logic_error("migration " + std::string(f.stem) + ": unknown backend " + std::string(f.backend));
    if (!*slot) slot->emplace();
    ((f.direction == "up") ? (*slot)->up : (*slot)->down) = std::string(f.sql);
  }
  std::vector<Migration> out;
  for (auto& [version, m] : by_version) {
    for (const auto* sql : {&m.sqlite, &m.postgres})
      if (*sql && ((*sql)->up.empty() || (*sql)->down.empty()))
        throw std::logic_error("migration " + std::to_string(version) + " needs both up and down SQL");
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace

const MigrationSql* Migration::sql_for(std::string_view backend) const {
  if (backend == "sqlite") return sqlite ? &*sqlite : nullptr;
  if (backend == "postgres") return postgres ? &*postgres : nullptr;
  return nullptr;
}

const std::vector<Migration>& builtin_migrations() {
  static const std::vector<Migration> all = assemble();
  return all;
}

}  // namespace parley::store
