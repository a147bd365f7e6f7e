// `parley user …`: account administration against a data folder, also while a server runs on it.
// No data-folder lock is taken: the commands open the SQLite file through the store, whose writes
// SQLite serialises with the server's (busy_timeout), and the server checks bans, roles and
// deletions on every request, so a change here takes effect at once.
#include "app/user_commands.hpp"

#include "auth/auth_service.hpp"
#include "auth/password.hpp"
#include "auth/privacy.hpp"
#include "auth/user.hpp"
#include "auth/validation.hpp"
#include "core/encoding.hpp"
#include "core/ids.hpp"
#include "core/metrics.hpp"
#include "store/migrations.hpp"
#include "store/run_sync.hpp"
#include "store/open.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdio>
#include <iostream>
#include <optional>

namespace parley::app {
namespace {

struct Failure : std::runtime_error {
  int code;
  Failure(int c, const std::string& m) : std::runtime_error(m), code(c) {}
};

// The data folder's store, without creating anything: the server (or `parley migrate up`) makes it.
std::unique_ptr<store::Database> open_store(const Config& config, metrics::Registry& registry) {
  const auto file = config.data_dir / "parley.db";
  if (config.database.empty() && !std::filesystem::exists(file))
    throw Failure(1, fmt::format("no database at {}: start the server once or run `parley migrate up --data {}`",
                                 file.string(), config.data_dir.string()));
  auto db = store::open_database({config.database, config.data_dir, config.slow_store, 64}, registry);
  const auto status = store::run_sync(store::Migrator(*db).status_async());
  for (const auto& s : status)
    if (!s.applied)
      throw Failure(1, fmt::format("the schema in {} is not up to date (migration {:04} {} pending): run "
                                   "`parley migrate up` or restart the server",
                                   config.database.empty() ? config.data_dir.string() : "the database", s.version, s.name));
  return db;
}

// USER = an id, a username or an email address.
auth::User find_user(store::Database& db, const std::string& who) {
  std::int64_t id = -1;
  const auto [p, ec] = std::from_chars(who.data(), who.data() + who.size(), id);
  if (ec != std::errc{} || p != who.data() + who.size()) id = -1;
  const std::string sql = std::string("SELECT ") + auth::kUserColumns +
                          " FROM users WHERE id = $1 OR username_key = $2 OR email_key = $2 ORDER BY id = $1 DESC LIMIT 1";
  auto rows = store::run_sync(db.read("cli.find_user", sql, store::params(id, auth::lower(who))));
  if (rows.empty()) throw Failure(1, fmt::format("no user {} (give an id, a username or an email address)", who));
  return auth::user_from_row(rows.front());
}

std::string label(const auth::User& u) {
  return u.deleted ? fmt::format("deleted user {}", u.id) : fmt::format("{} (id {})", u.username, u.id);
}

template <class F>
int guarded(const char* what, F&& fn) {
  try {
    return fn();
  } catch (const Failure& e) {
    fmt::print(stderr, "parley: user {}: {}\n", what, e.what());
    return e.code;
  } catch (const std::exception& e) {
    fmt::print(stderr, "parley: user {} failed: {}\n", what, e.what());
    return 1;
  }
}

}  // namespace

int user_create(const Config& config, const UserCreateArgs& args) {
  return guarded("create", [&] {
    if (auto p = auth::email_problem(args.email); !p.empty()) throw Failure(2, "--email " + args.email + ": " + p);
    if (auto p = auth::username_problem(args.username); !p.empty())
      throw Failure(2, "--username " + args.username + ": " + p);
    std::string password;
    bool generated = false;
    if (args.password_stdin) {
      if (!std::getline(std::cin, password)) throw Failure(2, "--password-stdin: no password on standard input");
      if (!password.empty() && password.back() == '\r') password.pop_back();
    } else {
      password = encoding::base64url(encoding::random_bytes(15));
      generated = true;
    }
    if (auto p = auth::password_problem(password); !p.empty()) throw Failure(2, "password: " + p);
    metrics::Registry registry;
    auto db = open_store(config, registry);
    auth::PasswordParams params;
    params.ops = config.argon2_passes;
    params.memory = config.argon2_memory_kib * 1024;
    const auto hash = auth::hash_password(password, params);
    IdGenerator ids;
    const auto id = ids.next();
    const auto now = auth::now_text();
    store::run_sync(db->write("cli.user_create", [&](store::Tx& tx) {
      if (!tx.exec("SELECT 1 FROM users WHERE email_key = $1", {auth::lower(args.email)}).empty())
        throw Failure(1, "an account with the email address " + args.email + " exists");
      if (!tx.exec("SELECT 1 FROM users WHERE username_key = $1", {auth::lower(args.username)}).empty())
        throw Failure(1, "the username " + args.username + " is taken");
      tx.exec("INSERT INTO users (id, username, username_key, email, email_key, display_name, password_hash, role, "
              "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $2, $6, $7, $8, $8)",
              {id, args.username, auth::lower(args.username), args.email, auth::lower(args.email), hash, args.role, now});
    }));
    db->close();
    fmt::print("created {} {} (id {})\n", args.role, args.username, id);
    if (generated) fmt::print("password: {}\n(shown once; change it after signing in)\n", password);
    return 0;
  });
}

int user_list(const Config& config, int limit) {
  return guarded("list", [&] {
    metrics::Registry registry;
    auto db = open_store(config, registry);
    const std::string sql = std::string("SELECT ") + auth::kUserColumns + " FROM users ORDER BY id LIMIT $1";
    auto rows = store::run_sync(db->read("cli.user_list", sql, store::params(std::int64_t{limit})));
    fmt::print("{:<20} {:<24} {:<32} {:<10} {:<8} {}\n", "ID", "USERNAME", "EMAIL", "ROLE", "STATUS", "CREATED");
    for (const auto& r : rows) {
      const auto u = auth::user_from_row(r);
      const char* status = u.deleted ? "deleted" : u.banned ? "banned" : "active";
      fmt::print("{:<20} {:<24} {:<32} {:<10} {:<8} {}\n", u.id, u.username.empty() ? "-" : u.username,
                 u.email.empty() ? "-" : u.email, u.role, status, u.created_at);
    }
    db->close();
    return 0;
  });
}

int user_set_role(const Config& config, const std::string& who, const std::string& role) {
  return guarded("set-role", [&] {
    metrics::Registry registry;
    auto db = open_store(config, registry);
    const auto u = find_user(*db, who);
    if (u.deleted) throw Failure(1, label(u) + " was erased");
    store::run_sync(db->write("cli.user_set_role", [&](store::Tx& tx) {
      tx.exec("UPDATE users SET role = $1, updated_at = $2 WHERE id = $3", {role, auth::now_text(), u.id});
    }));
    db->close();
    // Access tokens carry the role for clients; the server reads it from the store on every request.
    fmt::print("{}: role {} -> {}\n", label(u), u.role, role);
    return 0;
  });
}

int user_ban(const Config& config, const std::string& who, bool ban) {
  return guarded(ban ? "ban" : "unban", [&] {
    metrics::Registry registry;
    auto db = open_store(config, registry);
    const auto u = find_user(*db, who);
    if (u.deleted) throw Failure(1, label(u) + " was erased");
    const auto revoked = store::run_sync(db->write("cli.user_ban", [&](store::Tx& tx) -> std::int64_t {
      const auto now = auth::now_text();
      if (!ban) {
        tx.exec("UPDATE users SET banned_at = NULL, updated_at = $1 WHERE id = $2", {now, u.id});
        return 0;
      }
      tx.exec("UPDATE users SET banned_at = COALESCE(banned_at, $1), updated_at = $1 WHERE id = $2", {now, u.id});
      tx.exec("UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL", {now, u.id});
      return tx.changes();
    }));
    db->close();
    if (ban) fmt::print("banned {}; {} session(s) revoked\n", label(u), revoked);
    else fmt::print("unbanned {}{}\n", label(u), u.banned ? "" : " (was not banned)");
    return 0;
  });
}

int user_delete(const Config& config, const std::string& who) {
  return guarded("delete", [&] {
    metrics::Registry registry;
    auto db = open_store(config, registry);
    const auto u = find_user(*db, who);
    if (u.deleted) throw Failure(1, label(u) + " was already erased");
    store::run_sync(db->write("cli.user_delete", [&](store::Tx& tx) { return auth::erase_account(tx, u.id); }));
    db->close();
    fmt::print("erased {}: personal data removed, sessions revoked\n", label(u));
    return 0;
  });
}

}  // namespace parley::app
