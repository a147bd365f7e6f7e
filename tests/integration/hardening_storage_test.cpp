// A full disk: writes answer 503 storage_full (with Retry-After), /readyz says so, the log names
// the cause once (not per request), reads go on; once space is freed the server writes again
// without a restart, and nothing acknowledged was lost or corrupted.
//
// The disk is a small tmpfs mounted for the test, which needs root (CI runs as root); elsewhere
// the test is skipped and says why.
#include <gtest/gtest.h>
#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>

#include <boost/json.hpp>

#include "chat_helpers.hpp"
#include "gateway_helpers.hpp"
#include "http_client.hpp"
#include "problem_assertions.hpp"
#include "run_command.hpp"
#include "server_process.hpp"
#include "test_backend.hpp"
#include "temp_dir.hpp"

namespace parley::it {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace chat;
using namespace std::chrono_literals;

// A tmpfs of `size` at a fresh folder, unmounted on destruction.
class SmallDisk {
 public:
  explicit SmallDisk(const std::string& size) {
    const std::string options = "size=" + size + ",mode=0700";
    if (::mount("tmpfs", dir_.path().c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) == 0) mounted_ = true;
    else error_ = std::strerror(errno);
  }
  ~SmallDisk() {
    if (mounted_) ::umount2(dir_.path().c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }
  const fs::path& path() const { return dir_.path(); }

  // Writes `file` until the disk refuses another byte.
  void fill(const fs::path& file) {
    std::FILE* f = std::fopen(file.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::setvbuf(f, nullptr, _IONBF, 0);
    const std::string chunk(1 << 20, 'x');
    for (std::size_t size : {std::size_t{1} << 20, std::size_t{4096}, std::size_t{1}})
      while (std::fwrite(chunk.data(), 1, size, f) == size) {
      }
    std::fclose(f);
  }

 private:
  TempDir dir_{"parley-disk"};
  bool mounted_ = false;
  std::string error_;
};

int count_msg(const ServerProcess& server, std::string_view msg) {
  int n = 0;
  for (const auto& line : server.log_lines())
    if (const auto* m = line.if_contains("msg"); m && m->is_string() && m->as_string() == msg) ++n;
  return n;
}

TEST(HardeningStorage, AFullDiskIs503StorageFullThenWritesResumeWhenSpaceIsFreed) {
  if (on_postgres()) GTEST_SKIP() << "the embedded store's disk: PostgreSQL's data is on the database server's own";
  SmallDisk disk("24m");
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (needs root): " << disk.error();
  const fs::path data = disk.path() / "data";
  ServerOptions o = fast_server();
  o.data_dir = data;
  ServerProcess server(o);
  HttpClient c(server.port());
  const User ann = make_user(c, "ann");
  const User bob = make_user(c, "bob");
  const std::string room = str(open_direct(c, ann, bob), "id");

  std::map<std::string, std::int64_t> acked;  // client_id -> seq
  for (int i = 0; i < 5; ++i) {
    const auto m = send_text(c, ann, room, "before-" + std::to_string(i), "hello " + std::to_string(i));
    acked["before-" + std::to_string(i)] = num(m, "seq");
  }

  disk.fill(disk.path() / "filler");
  // Writes go on while SQLite still has room in its files; then the disk refuses them.
  const std::string big(8000, 'm');
  Response refused;
  bool full = false;
  for (int i = 0; i < 4000 && !full; ++i) {
    const std::string client_id = "during-" + std::to_string(i);
    json::value body = {{"client_id", client_id}, {"body", big}};
    auto res = post(c, "/v1/rooms/" + room + "/messages", ann, body);
    if (res.result_int() == 201) {
      acked[client_id] = num(body_json(res), "seq");
    } else {
      refused = res;
      full = true;
    }
  }
  ASSERT_TRUE(full) << "the disk never filled";
  expect_problem(refused, 503, "storage_full");
  EXPECT_FALSE(header(refused, "Retry-After").empty());
  // Each write is refused the same way, without a 500 or a log line each.
  for (int i = 0; i < 5; ++i) {
    json::value body = {{"client_id", "refused-" + std::to_string(i)}, {"body", big}};
    expect_problem(post(c, "/v1/rooms/" + room + "/messages", ann, body), 503, "storage_full");
  }
  {  // the WebSocket says it the same way
    GatewayClient ws(server.port(), ann);
    ws.send_message(room, "ws-refused", big);
    const auto err = ws.next("error");
    EXPECT_EQ(err.at("code").as_string(), "storage_full") << json::serialize(err);
    EXPECT_EQ(err.at("ref").as_string(), "ws-refused");
  }
  expect_problem(c.get("/readyz"), 503, "storage_full");
  EXPECT_EQ(get(c, "/v1/rooms/" + room + "/messages?limit=5", ann).result_int(), 200) << "reads go on";
  ASSERT_TRUE(server.wait_for_msg("storage full: writes fail until space is freed").has_value()) << server.describe();
  EXPECT_EQ(count_msg(server, "storage full: writes fail until space is freed"), 1);
  EXPECT_EQ(count_msg(server, "handler failed"), 0);

  // Space comes back: ready again, and writes work without a restart.
  fs::remove(disk.path() / "filler");
  EXPECT_EQ(c.get("/readyz").result_int(), 200);
  const auto after = send_text(c, ann, room, "after", "back again");
  acked["after"] = num(after, "seq");
  EXPECT_TRUE(server.wait_for_msg("storage writable again").has_value());

  // Every acknowledged message is there with its seq; the seqs have no gap.
  std::map<std::string, std::int64_t> stored;
  std::string query = "after=0&limit=100";
  std::int64_t expect_seq = 1;
  for (;;) {
    auto page = messages(c, ann, room, query);
    for (const auto& m : page.at("items").as_array()) {
      EXPECT_EQ(num(m, "seq"), expect_seq++);
      stored[str(m, "client_id")] = num(m, "seq");
    }
    if (page.at("next").is_null()) break;
    query = "limit=100&cursor=" + std::string(page.at("next").as_string());
  }
  for (const auto& [client_id, seq] : acked) {
    auto it = stored.find(client_id);
    ASSERT_NE(it, stored.end()) << client_id << " was acknowledged but is gone";
    EXPECT_EQ(it->second, seq) << client_id;
  }
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(stored.contains("refused-" + std::to_string(i)));
  EXPECT_FALSE(stored.contains("ws-refused"));

  server.send_signal(SIGTERM);
  ASSERT_EQ(server.wait_exit(15s), 0) << server.describe();
  const auto check = run_command({"sqlite3", (data / "parley.db").string(), "PRAGMA integrity_check"});
  EXPECT_EQ(check.out, "ok\n") << check.err;
}

}  // namespace
}  // namespace parley::it
