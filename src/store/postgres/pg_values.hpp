#pragma once
// Between store Values and libpq: parameters bound in text form (blobs in binary) with the types
// the store's Values imply, result sets read back into Rows, and server errors mapped to the
// backend-neutral Error kinds. Used by the writer's and the readers' connections alike.
#include <libpq-fe.h>

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/error.hpp"
#include "store/value.hpp"

namespace parley::store::pg {

// Parameters ready for PQsendQueryPrepared / PQexecParams. Integers go as int8 and reals as
// float8; text goes untyped (the server infers it from the column or operator), blobs as bytea.
class BoundParams {
 public:
  explicit BoundParams(std::span<const Value> params);
  int count() const { return static_cast<int>(values_.size()); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }
  const Oid* types() const { return types_.data(); }

 private:
  std::vector<std::string> text_;  // owns the text forms
  std::vector<const char*> values_;
  std::vector<int> lengths_, formats_;
  std::vector<Oid> types_;
};

// The rows of a PGRES_TUPLES_OK result (none for a command result).
Rows to_rows(const PGresult* result);
// The rows changed by a command result (PQcmdTuples), 0 when it says nothing.
std::int64_t changed_rows(const PGresult* result);

// The Error a failed result stands for: its kind from the SQLSTATE, its message the server's
// primary message only (the DETAIL line can quote bound values, so it is left out).
Error result_error(const PGresult* result, std::string_view what);
// An error of the connection itself (lost, refused): kind unavailable.
Error connection_error(const PGconn* conn, std::string_view what);
Error::Kind kind_of(std::string_view sqlstate);
// Deadlocks and serialization failures: the transaction may simply be run again.
bool retryable(const Error& e);

// True when `sql` holds more than one statement (a migration script): it must go through the
// simple query protocol, which takes no parameters.
bool is_script(std::string_view sql);

// A notice processor that drops the server's NOTICEs (libpq's default prints them on stderr).
void ignore_notice(void*, const char*);

}  // namespace parley::store::pg
