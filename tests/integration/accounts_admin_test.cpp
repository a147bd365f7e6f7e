// `parley user …` against the data folder of a running server: create (with --admin and
// --password-stdin), set-role, ban, list, and unknown users. Roles and bans apply at the
// server's next request.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <sstream>
#include <string>

#include "accounts_helpers.hpp"
#include "http_client.hpp"
#include "problem_assertions.hpp"
#include "run_command.hpp"
#include "server_process.hpp"

namespace parley::it {
namespace {

using namespace accounts;

class AccountsAdmin : public ::testing::Test {
 protected:
  AccountsAdmin() : server(options()) {}
  static ServerOptions options() {
    ServerOptions o;
    o.args = kFastHash;
    return o;
  }
  // parley user <args…> --data <the server's data folder>
  CommandResult user(std::vector<std::string> args, const std::string& stdin_text = {}) {
    std::vector<std::string> all{"user"};
    all.insert(all.end(), args.begin(), args.end());
    all.insert(all.end(), {"--data", server.data_dir().string()});
    all.insert(all.end(), kFastHash.begin(), kFastHash.end());
    return run_parley(all, {.stdin_text = stdin_text});
  }
  // The line of `user list` output that mentions `needle`.
  static std::string line_with(const std::string& out, const std::string& needle) {
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);)
      if (line.find(needle) != std::string::npos) return line;
    return {};
  }

  ServerProcess server;
};

TEST_F(AccountsAdmin, CreateAdminSetRoleBanAndList) {
  HttpClient c(server.port());
  auto r = user({"create", "--email", "root@example.com", "--username", "root", "--admin", "--password-stdin"},
                "root password 1\n");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out.find("root password 1"), std::string::npos) << "the given password is echoed: " << r.out;

  auto res = login(c, "root", "root password 1");
  ASSERT_EQ(res.result_int(), 200) << res;
  EXPECT_EQ(str(body_json(res).at("user"), "role"), "admin") << res;
  const auto root_token = str(body_json(res), "access_token");
  res = c.get("/v1/me", bearer(root_token));
  ASSERT_EQ(res.result_int(), 200) << res;
  EXPECT_EQ(str(body_json(res), "role"), "admin");
  EXPECT_EQ(str(body_json(res), "email"), "root@example.com");

  // The same address or username again: refused.
  r = user({"create", "--email", "ROOT@example.com", "--username", "root2", "--password-stdin"}, "root password 1\n");
  EXPECT_NE(r.exit_code, 0) << r.out << r.err;

  // A user who signed up through the API; the role change shows at once with the old token.
  auto s = signup(c, "bob@example.com", "bob");
  ASSERT_TRUE(s.contains("access_token"));
  const auto bob_token = str(s, "access_token");
  EXPECT_EQ(str(body_json(c.get("/v1/me", bearer(bob_token))), "role"), "user");
  r = user({"set-role", "bob", "moderator"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  res = c.get("/v1/me", bearer(bob_token));
  ASSERT_EQ(res.result_int(), 200) << res;
  EXPECT_EQ(str(body_json(res), "role"), "moderator") << res;
  EXPECT_NE(user({"set-role", "bob", "emperor"}).exit_code, 0);

  // Ban: the existing token stops working on the next request; login says account_banned.
  r = user({"ban", "bob@example.com"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  expect_problem(c.get("/v1/me", bearer(bob_token)), 401, "session_revoked");
  expect_problem(login(c, "bob", "correct horse 1"), 403, "account_banned");
  // A wrong password is not told the account is banned.
  expect_problem(login(c, "bob", "wrong password 1"), 401, "invalid_credentials");
  // The administrator is untouched.
  EXPECT_EQ(c.get("/v1/me", bearer(root_token)).result_int(), 200);

  r = user({"list"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto root_line = line_with(r.out, "root@example.com");
  const auto bob_line = line_with(r.out, "bob@example.com");
  ASSERT_FALSE(root_line.empty()) << r.out;
  ASSERT_FALSE(bob_line.empty()) << r.out;
  EXPECT_NE(root_line.find("admin"), std::string::npos) << root_line;
  EXPECT_NE(bob_line.find("moderator"), std::string::npos) << bob_line;
  EXPECT_NE(bob_line.find("banned"), std::string::npos) << bob_line;
  EXPECT_EQ(root_line.find("banned"), std::string::npos) << root_line;
  EXPECT_EQ(r.out.find("$argon2"), std::string::npos) << r.out;

  // Unban: the password works again.
  r = user({"unban", "bob"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(login(c, "bob", "correct horse 1").result_int(), 200);
}

TEST_F(AccountsAdmin, UnknownUserExitsWithOne) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"ban", "nosuch"}, {"unban", "nosuch"}, {"set-role", "nosuch", "admin"}, {"delete", "nosuch@example.com"}}) {
    auto r = user(args);
    EXPECT_EQ(r.exit_code, 1) << args.front() << ": " << r.out << r.err;
    EXPECT_FALSE(r.err.empty()) << args.front();
  }
  // The server is unaffected.
  HttpClient c(server.port());
  EXPECT_EQ(c.get("/readyz").result_int(), 200);
}

}  // namespace
}  // namespace parley::it
