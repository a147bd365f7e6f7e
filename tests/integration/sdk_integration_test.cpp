// The JavaScript SDK (web/sdk) against the real binary: its integration tests (accounts, problems,
// real-time fan-out through random disconnects, send dedup over REST and WebSocket) run in Node
// with PARLEY_URL pointing at a server started here. scripts/sdk.sh builds them first (test.sh
// runs it before ctest).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "accounts_helpers.hpp"
#include "run_command.hpp"
#include "server_process.hpp"

namespace parley::it {
namespace {

namespace fs = std::filesystem;

TEST(SdkIntegration, NodeTestsPassAgainstTheServer) {
  const fs::path dir = fs::path(PARLEY_SOURCE_DIR) / "web" / "sdk" / "build-test" / "test" / "integration";
  std::vector<std::string> argv{"node", "--test"};
  if (fs::is_directory(dir)) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().string().ends_with(".test.js")) argv.push_back(entry.path().string());
    }
  }
  ASSERT_GT(argv.size(), 2u) << "no SDK integration tests in " << dir << ": run scripts/sdk.sh first";

  ServerOptions options;
  options.args = accounts::kFastHash;
  options.args.insert(options.args.end(), {"--signup-limit-ip", "off", "--ws-frame-rate", "1000"});
  ServerProcess server(options);
  auto r = run_command(argv, {.env = {{"PARLEY_URL", "http://127.0.0.1:" + std::to_string(server.port())}},
                              .timeout = std::chrono::minutes(4)});
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  // node --test's summary: the tests really ran (none skipped for want of PARLEY_URL).
  EXPECT_NE(r.out.find("# fail 0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("# skipped 0"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("# pass 0"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace parley::it
