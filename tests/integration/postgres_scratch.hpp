#pragma once
// A fresh, empty database on the test PostgreSQL server ($PARLEY_TEST_POSTGRES, test_backend.hpp)
// for one test, dropped on destruction.
#include <string>

#include "test_backend.hpp"

namespace parley::it {

class PostgresScratch {
 public:
  explicit PostgresScratch(const std::string& name_hint) : url_(create_database(name_hint)) {}
  ~PostgresScratch() {
    try {
      drop_database_of(url_);
    } catch (const std::exception&) {
      // left for the throwaway server to take with it
    }
  }
  PostgresScratch(const PostgresScratch&) = delete;
  PostgresScratch& operator=(const PostgresScratch&) = delete;

  const std::string& url() const { return url_; }

 private:
  std::string url_;
};

}  // namespace parley::it
