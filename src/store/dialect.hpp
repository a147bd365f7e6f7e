#pragma once
// The dialect layer: Parley's SQL is written once, in the common subset of SQLite and PostgreSQL
// with $1, $2, ... parameters, plus the few forms below; each backend rewrites them (once, when it
// prepares a statement) into its own:
//   `... FOR UPDATE`     PostgreSQL locks the rows to the end of the transaction; SQLite drops it
//                        (its one writer already runs one transaction at a time).
//   `json_each($n)`      a list of ids passed as one parameter ("[1,2,3]", store::id_list): SQLite's
//                        table-valued json_each; on PostgreSQL the set-returning parley_json_ids(),
//                        created by its first migration.
// Integers are 64-bit on both (BIGINT columns on PostgreSQL); booleans are integers 0/1, compared
// as such (`view_once = 1`, never a bare `WHERE view_once`).
#include <string>
#include <string_view>

namespace parley::store::dialect {

std::string for_sqlite(std::string_view sql);
std::string for_postgres(std::string_view sql);

}  // namespace parley::store::dialect
