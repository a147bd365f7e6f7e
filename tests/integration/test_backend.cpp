#include "test_backend.hpp"

#include <libpq-fe.h>

#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <string_view>

namespace parley::it {
namespace {

struct ConnFree {
  void operator()(PGconn* c) const { PQfinish(c); }
};

// Runs one statement on the server's maintenance database; throws with the server's message.
void admin(const std::string& sql) {
  auto url = postgres_server_url();
  if (!url) throw std::runtime_error("PARLEY_TEST_POSTGRES is not set");
  std::unique_ptr<PGconn, ConnFree> conn(PQconnectdb(url->c_str()));
  if (PQstatus(conn.get()) != CONNECTION_OK)
    throw std::runtime_error("cannot connect to the test PostgreSQL: " + std::string(PQerrorMessage(conn.get())));
  PGresult* r = PQexec(conn.get(), sql.c_str());
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
  std::string err = ok ? "" : PQresultErrorMessage(r);
  const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  const bool exists = state && std::string_view(state) == "42P04";  // duplicate_database
  PQclear(r);
  if (!ok && !exists) throw std::runtime_error(sql + ": " + err);
}

// The server URL with its database replaced by `name`.
std::string url_with_database(const std::string& name) {
  std::string url = *postgres_server_url();
  std::string query;
  if (auto q = url.find('?'); q != std::string::npos) {
    query = url.substr(q);
    url.resize(q);
  }
  const auto scheme_end = url.find("://");
  const auto slash = url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  if (slash != std::string::npos) url.resize(slash);
  return url + "/" + name + query;
}

bool has(const std::vector<std::string>& args, std::string_view flag) {
  for (const auto& a : args)
    if (a == flag || a.starts_with(std::string(flag) + "=")) return true;
  return false;
}

}  // namespace

bool on_postgres() {
  const char* b = std::getenv("PARLEY_TEST_BACKEND");
  return b != nullptr && std::string_view(b) == "postgres";
}

std::optional<std::string> postgres_server_url() {
  const char* u = std::getenv("PARLEY_TEST_POSTGRES");
  if (u == nullptr || *u == '\0') return std::nullopt;
  return std::string(u);
}

std::string database_for(const std::filesystem::path& data_dir) {
  if (!on_postgres()) return "";
  const std::string name = "t_" + std::to_string(std::hash<std::string>{}(std::filesystem::absolute(data_dir).lexically_normal().string()));
  static std::mutex mutex;
  static std::set<std::string> created;  // by this test process
  std::lock_guard lock(mutex);
  if (!created.contains(name)) {
    admin("CREATE DATABASE " + name);
    created.insert(name);
  }
  return url_with_database(name);
}

std::string create_database(const std::string& name_hint) {
  std::random_device rd;
  const std::string name = "x_" + name_hint + "_" + std::to_string(rd() % 1000000000u);
  admin("CREATE DATABASE " + name);
  return url_with_database(name);
}

void drop_database_of(const std::string& url) {
  auto end = url.find('?');
  auto slash = url.rfind('/', end);
  if (slash == std::string::npos) return;
  admin("DROP DATABASE IF EXISTS " + url.substr(slash + 1, end == std::string::npos ? std::string::npos : end - slash - 1) +
        " WITH (FORCE)");
}

void add_backend_env(const std::vector<std::string>& args, Env& env) {
  if (!on_postgres() || has(args, "--database")) return;
  for (const auto& [k, v] : env)
    if (k == "PARLEY_DATABASE") return;
  for (std::size_t i = 0; i + 1 < args.size(); ++i)
    if (args[i] == "--data") {
      env.emplace_back("PARLEY_DATABASE", database_for(args[i + 1]));
      return;
    }
  for (const auto& a : args)
    if (a.starts_with("--data=")) {
      env.emplace_back("PARLEY_DATABASE", database_for(a.substr(7)));
      return;
    }
}

CommandResult store_sql(const std::filesystem::path& data_dir, const std::string& sql) {
  if (!on_postgres()) return run_command({"sqlite3", (data_dir / "parley.db").string(), sql});
  return run_command({"psql", "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", database_for(data_dir), "-c", sql});
}

}  // namespace parley::it
