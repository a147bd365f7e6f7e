#include "postgres_scratch.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <stdexcept>

#include "run_command.hpp"

namespace parley::it {

std::optional<std::string> test_postgres_url() {
  const char* v = std::getenv("PARLEY_TEST_POSTGRES");
  if (!v || !*v) return std::nullopt;
  return std::string(v);
}

std::string with_database_name(const std::string& url, const std::string& name) {
  const auto scheme = url.find("://");
  const auto start = scheme == std::string::npos ? 0 : scheme + 3;
  const auto query = url.find('?', start);
  const auto slash = url.find('/', start);
  const auto authority_end = slash != std::string::npos && (query == std::string::npos || slash < query)
                                 ? slash
                                 : (query == std::string::npos ? url.size() : query);
  const auto rest = query == std::string::npos ? std::string() : url.substr(query);
  return url.substr(0, authority_end) + "/" + name + rest;
}

namespace {

CommandResult psql(const std::string& url, const std::string& sql) {
  return run_command({"psql", "--no-psqlrc", "--quiet", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql});
}

}  // namespace

PostgresScratch::PostgresScratch(const std::string& server_url) : admin_url_(server_url) {
  static std::atomic<int> n{0};
  name_ = "parley_it_" + std::to_string(::getpid()) + "_" + std::to_string(n++);
  psql(admin_url_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  const auto r = psql(admin_url_, "CREATE DATABASE " + name_);
  if (r.exit_code != 0) throw std::runtime_error("cannot create the test database " + name_ + ": " + r.err);
  url_ = with_database_name(admin_url_, name_);
}

PostgresScratch::~PostgresScratch() { psql(admin_url_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)"); }

}  // namespace parley::it
