#pragma once
// Typed store errors, the same for every backend, so services can map them (unique_violation ->
// 409) without knowing SQLite or PostgreSQL codes. what() carries the backend's message, never
// bound parameter values.
#include <stdexcept>
#include <string>
#include <string_view>

namespace parley::store {

class Error : public std::runtime_error {
 public:
  enum class Kind {
    unique_violation,  // UNIQUE / PRIMARY KEY (PostgreSQL 23505)
    foreign_key,       // FOREIGN KEY (23503)
    constraint,        // other constraints: NOT NULL, CHECK (23502, 23514)
    busy,              // lock timeout, database busy
    full,              // no space left for the write (SQLite SQLITE_FULL, PostgreSQL 53100)
    io,                // I/O error, corrupt or unopenable file
    closed,            // the store was closed
    unavailable,       // the database server cannot be reached (down, restarting, connection lost)
    other,
  };

  Error(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }
  // The backend's own code when it has one (PostgreSQL's SQLSTATE), else empty.
  const std::string& code() const { return code_; }
  void set_code(std::string code) { code_ = std::move(code); }

 private:
  Kind kind_;
  std::string code_;
};

std::string_view to_string(Error::Kind kind);

// True when `e` is a store::Error of kind full (the disk or the database is out of space).
bool is_storage_full(const std::exception& e);
// True when `e` is a store::Error of kind unavailable (the database server cannot be reached).
bool is_store_unavailable(const std::exception& e);

}  // namespace parley::store
