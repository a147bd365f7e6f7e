#pragma once
// What `parley migrate-data` copies: every table of the schema (after all migrations) but those
// of skipped_tables(), parents before children, with its columns and primary key. A new migration
// that adds a table or a column adds it here too (the unit test MigrateDataCatalog compares this
// list with the SQLite schema).
#include <string>
#include <vector>

namespace parley::app {

struct TableSpec {
  std::string name;
  std::vector<std::string> columns;
  std::vector<std::string> key;  // the primary key's columns, in its order
};

// In dependency order: a table's foreign keys point only at tables listed before it (or itself).
const std::vector<TableSpec>& data_tables();

// The tables not copied: schema_migrations (the target's own, made by its migrations) and nodes
// (the node-number leases of running servers; the target's servers take their own).
const std::vector<std::string>& skipped_tables();

}  // namespace parley::app
