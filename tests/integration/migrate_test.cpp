// `parley migrate up|down|status` on a data folder, and the data-folder lock shared with serve.
#include <gtest/gtest.h>

#include <cctype>

#include <signal.h>

#include <string>

#include "http_client.hpp"
#include "run_command.hpp"
#include "server_process.hpp"
#include "test_backend.hpp"
#include "temp_dir.hpp"

namespace parley::it {
namespace {

using namespace std::chrono_literals;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The line of `migrate status` output that mentions `version`.
std::string status_line(const std::string& out, const std::string& version) {
  std::size_t pos = 0;
  while (pos < out.size()) {
    auto nl = out.find('\n', pos);
    std::string line = out.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? out.size() : nl + 1;
    if (line.find(version) != std::string::npos) return lower(line);
  }
  return {};
}

// The status line of the newest migration (the last line starting with a version number).
std::string newest_line(const std::string& out) {
  std::string newest;
  std::size_t pos = 0;
  while (pos < out.size()) {
    auto nl = out.find('\n', pos);
    std::string line = out.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? out.size() : nl + 1;
    if (line.size() > 4 && std::isdigit(static_cast<unsigned char>(line[0])) &&
        std::isdigit(static_cast<unsigned char>(line[3])))
      newest = lower(line);
  }
  return newest;
}

// A refusal names the holder's pid and the lock (the word, or the locked data folder).
void expect_names_the_lock(const std::string& message, pid_t holder, const std::string& data) {
  EXPECT_NE(message.find(std::to_string(holder)), std::string::npos)
      << "message does not name the holder pid " << holder << ": " << message;
  EXPECT_TRUE(lower(message).find("lock") != std::string::npos ||
              message.find(data) != std::string::npos)
      << "message names neither the lock nor the data folder: " << message;
}

class Migrate : public ::testing::Test {
 protected:
  TempDir dir{"parley-migrate"};
  std::string data() const { return (dir.path() / "data").string(); }

  CommandResult migrate(std::vector<std::string> args) {
    std::vector<std::string> all{"migrate"};
    all.insert(all.end(), args.begin(), args.end());
    all.insert(all.end(), {"--data", data()});
    return run_parley(all);
  }

  // Runs status and returns the 0001 line (lower case).
  std::string status_0001() {
    auto r = migrate({"status"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto line = status_line(r.out, "0001");
    EXPECT_FALSE(line.empty()) << "no 0001 in status output:\n" << r.out << r.err;
    return line;
  }
};

TEST_F(Migrate, StatusOnAFreshFolderListsFirstMigrationAsPending) {
  auto line = status_0001();
  EXPECT_NE(line.find("pending"), std::string::npos) << line;
}

TEST_F(Migrate, UpDownUpCycle) {
  auto up = migrate({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  auto applied = status_0001();
  EXPECT_NE(applied.find("applied"), std::string::npos) << applied;
  EXPECT_EQ(applied.find("pending"), std::string::npos) << applied;

  // One step down rolls back the newest migration only.
  auto down = migrate({"down"});
  ASSERT_EQ(down.exit_code, 0) << down.out << down.err;
  auto status = migrate({"status"});
  EXPECT_NE(newest_line(status.out).find("pending"), std::string::npos) << status.out;
  if (newest_line(status.out).rfind("0001", 0) != 0) {
    EXPECT_NE(status_0001().find("applied"), std::string::npos) << status.out;
  }

  auto again = migrate({"up"});
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE(status_0001().find("applied"), std::string::npos);
}

TEST_F(Migrate, UpTwiceIsANoOp) {
  ASSERT_EQ(migrate({"up"}).exit_code, 0);
  auto second = migrate({"up"});
  EXPECT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_NE(status_0001().find("applied"), std::string::npos);
}

TEST_F(Migrate, DownWithCountRollsBack) {
  ASSERT_EQ(migrate({"up"}).exit_code, 0);
  auto all = migrate({"status"});
  std::size_t count = 0;
  for (std::size_t p = 0; (p = all.out.find("applied", p)) != std::string::npos; ++p) ++count;
  ASSERT_GE(count, 1u) << all.out;
  auto down = migrate({"down", std::to_string(count)});
  EXPECT_EQ(down.exit_code, 0) << down.out << down.err;
  EXPECT_NE(status_0001().find("pending"), std::string::npos);
  auto after = migrate({"status"});
  EXPECT_EQ(after.out.find("applied"), std::string::npos) << "all rolled back:\n" << after.out;
}

TEST_F(Migrate, BadDownCountIsUsageError) {
  EXPECT_EQ(migrate({"down", "abc"}).exit_code, 2);
  EXPECT_EQ(migrate({"sideways"}).exit_code, 2);
}

TEST_F(Migrate, UpIsRefusedWhileAServerHoldsTheFolder) {
  if (on_postgres()) GTEST_SKIP() << "PostgreSQL migrations take the database's own lock, not the data folder's";
  ServerProcess server({.data_dir = dir.path() / "data"});
  auto r = migrate({"up"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  expect_names_the_lock(r.out + r.err, server.pid(), data());
  HttpClient client(server.port());
  EXPECT_EQ(client.get("/readyz").result_int(), 200);
}

TEST_F(Migrate, StatusIsRefusedWhileAServerHoldsTheFolder) {
  if (on_postgres()) GTEST_SKIP() << "PostgreSQL migrations take the database's own lock, not the data folder's";
  ServerProcess server({.data_dir = dir.path() / "data"});
  auto r = migrate({"status"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  expect_names_the_lock(r.out + r.err, server.pid(), data());
}

TEST_F(Migrate, SecondServerOnTheSameFolderFails) {
  ServerProcess first({.data_dir = dir.path() / "data"});
  auto second = run_parley({"serve", "--listen", "127.0.0.1:0", "--data", data()}, {.timeout = 10s});
  EXPECT_FALSE(second.timed_out) << "a second server started on a locked folder";
  EXPECT_EQ(second.exit_code, 1) << second.out << second.err;
  expect_names_the_lock(second.out + second.err, first.pid(), data());
  HttpClient client(first.port());
  EXPECT_EQ(client.get("/readyz").result_int(), 200);
}

TEST_F(Migrate, LockIsReleasedWhenTheServerStops) {
  {
    ServerProcess server({.data_dir = dir.path() / "data"});
    server.send_signal(SIGTERM);
    ASSERT_EQ(server.wait_exit(15s), std::optional<int>(0)) << server.describe();
  }
  EXPECT_EQ(migrate({"status"}).exit_code, 0);
}

TEST_F(Migrate, LockOfAKilledServerDoesNotBlock) {
  {
    ServerProcess server({.data_dir = dir.path() / "data"});
    server.send_signal(SIGKILL);
    ASSERT_TRUE(server.wait_exit(5s));
  }
  auto r = migrate({"status"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  ServerProcess again({.data_dir = dir.path() / "data"});
  HttpClient client(again.port());
  EXPECT_EQ(client.get("/healthz").result_int(), 200);
}

TEST_F(Migrate, ServerRunsOnAMigratedFolder) {
  ASSERT_EQ(migrate({"up"}).exit_code, 0);
  ServerProcess server({.data_dir = dir.path() / "data"});
  HttpClient client(server.port());
  EXPECT_EQ(client.get("/readyz").result_int(), 200);
}

}  // namespace
}  // namespace parley::it
