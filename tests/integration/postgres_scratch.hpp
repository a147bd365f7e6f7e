#pragma once
// A fresh, empty PostgreSQL database for one test, on the server of $PARLEY_TEST_POSTGRES (a
// postgres:// URL the test command provides; a test without it is skipped): created with psql,
// dropped (WITH (FORCE)) on destruction.
#include <optional>
#include <string>

namespace parley::it {

// $PARLEY_TEST_POSTGRES, or nullopt when unset or empty.
std::optional<std::string> test_postgres_url();

class PostgresScratch {
 public:
  // Throws std::runtime_error (with psql's output) when the database cannot be created.
  explicit PostgresScratch(const std::string& server_url);
  ~PostgresScratch();
  PostgresScratch(const PostgresScratch&) = delete;
  PostgresScratch& operator=(const PostgresScratch&) = delete;

  // The new database's URL (the server's URL with its database name replaced).
  const std::string& url() const { return url_; }

 private:
  std::string admin_url_, name_, url_;
};

// `url` with its database name (the path) replaced by `name`; query parameters kept.
std::string with_database_name(const std::string& url, const std::string& name);

}  // namespace parley::it
