// What parley leaves on disk is for the server's user alone (the data folder 0700, its files
// 0600: the database holds sessions, the outbox holds reset links), also for a folder made by an
// older version; and no secret reaches a message: a bad --smtp-url or --redis value in the error,
// a password in a URL's query string in `config print`.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "accounts_helpers.hpp"
#include "http_client.hpp"
#include "run_command.hpp"
#include "server_process.hpp"
#include "test_backend.hpp"
#include "temp_dir.hpp"

namespace parley::it {
namespace {

namespace fs = std::filesystem;
using namespace accounts;

// The permission bits of a path (no symlink following).
unsigned mode_of(const fs::path& p) {
  struct stat st{};
  if (::lstat(p.c_str(), &st) != 0) return 07777;
  return st.st_mode & 07777;
}

// Every entry under `dir` (recursively): no bit for group or others.
void expect_private_tree(const fs::path& dir) {
  EXPECT_EQ(mode_of(dir) & 077, 0u) << dir << " is " << std::oct << mode_of(dir);
  std::size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_symlink()) continue;
    ++files;
    EXPECT_EQ(mode_of(e.path()) & 077, 0u) << e.path() << " is " << std::oct << mode_of(e.path());
  }
  // The lock, the outbox and a mail in it; on SQLite also the database and its WAL.
  EXPECT_GE(files, on_postgres() ? 3u : 5u) << "expected the lock, a mail and (SQLite) the database in " << dir;
}

TEST(HardeningFiles, TheDataFolderAndEveryFileInItArePrivate) {
  TempDir parent;
  const fs::path data = parent.path() / "data";  // made by the server
  ServerOptions o = fast_server();
  o.data_dir = data;
  ServerProcess server(o);
  HttpClient c(server.port());
  signup(c, "ann@example.com", "ann");  // a verification mail in the outbox, a session in the db
  ASSERT_TRUE(server.wait_for_msg("mail sent").has_value()) << server.describe();
  ASSERT_TRUE(fs::exists(data / "outbox"));
  expect_private_tree(data);
}

TEST(HardeningFiles, AFolderLeftReadableByAnOlderVersionIsMadePrivate) {
  TempDir parent;
  const fs::path data = parent.path() / "data";
  {
    ServerOptions o = fast_server();
    o.data_dir = data;
    ServerProcess server(o);
    HttpClient c(server.port());
    signup(c, "bob@example.com", "bob");
    ASSERT_TRUE(server.wait_for_msg("mail sent").has_value()) << server.describe();
  }
  // As 0.x left it: world-readable folder, database and mails.
  fs::permissions(data, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                            fs::perms::others_read | fs::perms::others_exec);
  fs::permissions(data / "outbox", fs::perms::owner_all | fs::perms::others_read | fs::perms::others_exec);
  for (const auto& e : fs::recursive_directory_iterator(data))
    if (e.is_regular_file()) fs::permissions(e.path(), fs::perms::others_read | fs::perms::group_read, fs::perm_options::add);
  if (!on_postgres()) {  // on PostgreSQL: no database file here
    ASSERT_NE(mode_of(data / "parley.db") & 044, 0u);
  }

  ServerOptions o = fast_server();
  o.data_dir = data;
  ServerProcess again(o);
  EXPECT_EQ(mode_of(data) & 077, 0u);
  if (!on_postgres()) {
    EXPECT_EQ(mode_of(data / "parley.db") & 077, 0u);
  }
  EXPECT_EQ(mode_of(data / "outbox") & 077, 0u);
  for (const auto& e : fs::directory_iterator(data / "outbox")) EXPECT_EQ(mode_of(e.path()) & 077, 0u) << e.path();
}

TEST(HardeningFiles, ASharedFolderGivenAsDataKeepsItsModeButParleysFilesArePrivate) {
  TempDir shared;
  std::ofstream(shared.path() / "someone-elses.txt") << "x";
  fs::permissions(shared.path(), fs::perms::owner_all | fs::perms::others_read | fs::perms::others_exec);
  ServerOptions o = fast_server();
  o.data_dir = shared.path();
  ServerProcess server(o);
  EXPECT_NE(mode_of(shared.path()) & 05, 0u) << "a folder that is not Parley's must not be locked";
  if (!on_postgres()) {
    EXPECT_EQ(mode_of(shared.path() / "parley.db") & 077, 0u);
  }
  EXPECT_FALSE(fs::exists(shared.path() / "keys")) << "the signing keys live in the database";
}

// parley serve with one bad setting: the exit code and what it printed.
CommandResult serve_with(const std::vector<std::string>& args) {
  TempDir data;
  std::vector<std::string> all = {"serve", "--listen", "127.0.0.1:0", "--data", data.path().string()};
  all.insert(all.end(), args.begin(), args.end());
  return run_parley(all);
}

TEST(HardeningSecrets, ABadSecretValueNeverPrintsItsPassword) {
  const std::vector<std::vector<std::string>> bad = {
      {"--smtp-url", "mailer:hunter2@mail.example.com:25"},     // no scheme
      {"--smtp-url", "smtp:/mailer:hunter2@mail.example.com"},  // a broken scheme
      {"--redis", "redis//:hunter2@cache:6379"},
      {"--redis", "cache:6379?password=hunter2"},
      {"--database", "mysql://db.example.com/parley?user=app&password=hunter2"},  // not a database we speak
  };
  for (const auto& args : bad) {
    SCOPED_TRACE(args[0] + " " + args[1]);
    const auto r = serve_with(args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(args[0].substr(2)), std::string::npos) << "the error names the setting: " << r.err;
    EXPECT_EQ(r.err.find("hunter2"), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find("hunter2"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("***"), std::string::npos) << r.err;
  }
}

TEST(HardeningSecrets, ConfigPrintMasksPasswordsInQueryStrings) {
  TempDir data;
  const auto r = run_parley({"config", "print", "--data", data.path().string(), "--smtp-url",
                             "smtp://mail.example.com:25?login=app&password=hunter2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("hunter2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("smtp://mail.example.com:25?login=app&password=***"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace parley::it
