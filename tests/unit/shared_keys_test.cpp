// Signing keys in the database (issue 12, item 4): the key files of an older version imported
// once, with their kids and seeds (tokens they signed stay valid); several key rings on one
// database agree, see each other's rotations through the version, and of several first starts
// at once exactly one creates the first key; --revoke-previous also deletes the revoked keys' files.
#include "auth/jwt.hpp"
#include "auth/signing_key_files.hpp"
#include "auth/signing_key_store.hpp"
#include "core/encoding.hpp"
#include "core/json_text.hpp"
#include "store/run_sync.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <boost/json.hpp>

#include <fstream>
#include <set>
#include <thread>

#include "test_store.hpp"

namespace parley::auth {
namespace {

namespace fs = std::filesystem;
using testing_support::TestStore;

const std::string kIss = "https://chat.example.com";

// A key file as versions before 0007 wrote it; returns the seed.
std::vector<std::uint8_t> write_key_file(const fs::path& dir, const std::string& kid, std::int64_t created_ms,
                                         std::optional<std::int64_t> retired_ms = {}) {
  fs::create_directories(dir);
  const auto seed = encoding::random_bytes(crypto_sign_SEEDBYTES);
  boost::json::object o{{"kid", kid}, {"alg", "EdDSA"}, {"crv", "Ed25519"}, {"created_ms", created_ms},
                        {"seed", encoding::base64url(seed)}};
  if (retired_ms) o["retired_ms"] = *retired_ms;
  std::ofstream(dir / (kid + ".json")) << json_text(o);
  return seed;
}

std::int64_t key_rows(store::Database& db) {
  return store::run_sync(db.read("t", "SELECT count(*) FROM signing_keys")).front().int64(0);
}

std::set<std::string> kids(const KeyRing& ring) {
  std::set<std::string> out;
  for (const auto& k : ring.snapshot()->keys) out.insert(k.kid);
  return out;
}

TEST(SharedKeysImport, KeyFilesOfAnOlderVersionAreImportedOnceWithTheirSeeds) {
  TestStore s;
  const auto dir = s.dir.path / "keys";
  const auto old_seed = write_key_file(dir, "old-kid", 1000, 2000);
  const auto cur_seed = write_key_file(dir, "current-kid", 1500);
  std::ofstream(dir / "damaged.json") << "{not json";
  KeyRing ring(*s.db, dir);
  EXPECT_EQ(kids(ring), (std::set<std::string>{"old-kid", "current-kid"}));
  EXPECT_EQ(ring.snapshot()->signing().kid, "current-kid");
  ASSERT_NE(ring.snapshot()->find("old-kid"), nullptr);
  EXPECT_EQ(ring.snapshot()->find("old-kid")->retired_ms, 2000);
  // A token signed with the file's key (by the old version) verifies.
  const SigningKey from_file = signing_key_of(StoredKey{"current-kid", cur_seed, 1500, {}});
  EXPECT_EQ(ring.snapshot()->signing().public_key, from_file.public_key);
  const auto t = sign_token(from_file, Claims{42, 7, "user", 1000, 1900}, kIss);
  EXPECT_TRUE(verify_token(*ring.snapshot(), t, kIss, 1001));
  // Once only: a file added later is not imported; the files are left as they were.
  write_key_file(dir, "later-kid", 3000);
  KeyRing again(*s.db, dir);
  EXPECT_EQ(kids(again), (std::set<std::string>{"old-kid", "current-kid"}));
  EXPECT_EQ(key_rows(*s.db), 2);
  EXPECT_TRUE(fs::exists(dir / "current-kid.json"));
}

TEST(SharedKeysImport, WithoutKeyFilesOneKeyIsCreatedAndNoFileWritten) {
  TestStore s;
  const auto dir = s.dir.path / "keys";
  const auto setup = store::run_sync(ensure_signing_keys(*s.db, dir));
  EXPECT_TRUE(setup.first);
  EXPECT_EQ(setup.imported, 0u);
  EXPECT_EQ(key_rows(*s.db), 1);
  EXPECT_FALSE(store::run_sync(ensure_signing_keys(*s.db, dir)).first);
  EXPECT_EQ(key_rows(*s.db), 1);
  EXPECT_FALSE(fs::exists(dir));
}

TEST(SharedKeys, RingsOnOneDatabaseAgreeAndFollowEachOthersRotations) {
  TestStore s;
  const auto dir = s.dir.path / "keys";
  // A second handle on the same database, as a second process (`parley keys rotate`) opens it.
  metrics::Registry registry;
  auto other_db = store::open_sqlite(store::SqliteOptions{.data_dir = s.dir.path}, registry);
  KeyRing a(*s.db, dir);
  KeyRing b(*other_db, dir);
  EXPECT_EQ(kids(a), kids(b));
  const auto first = a.snapshot()->signing().kid;
  const auto token = sign_token(a.snapshot()->signing(), Claims{1, 2, "user", 1000, 1900}, kIss);
  EXPECT_TRUE(verify_token(*b.snapshot(), token, kIss, 1001));
  EXPECT_FALSE(a.reload_if_changed());
  EXPECT_FALSE(b.reload_if_changed());

  const auto r = KeyRing::rotate(*other_db, dir);
  EXPECT_TRUE(r.revoked.empty());
  EXPECT_TRUE(a.reload_if_changed());
  EXPECT_TRUE(b.reload_if_changed());
  EXPECT_FALSE(a.reload_if_changed());
  EXPECT_EQ(a.snapshot()->signing().kid, r.kid);
  EXPECT_EQ(b.snapshot()->signing().kid, r.kid);
  EXPECT_TRUE(a.snapshot()->find(first)->retired_ms.has_value());
  EXPECT_TRUE(verify_token(*a.snapshot(), token, kIss, 1001));  // retired, still verifying

  const auto revoked = KeyRing::rotate(*s.db, dir, true);
  EXPECT_EQ(std::set<std::string>(revoked.revoked.begin(), revoked.revoked.end()),
            (std::set<std::string>{first, r.kid}));
  EXPECT_TRUE(b.reload_if_changed());
  EXPECT_EQ(kids(b), (std::set<std::string>{revoked.kid}));
  EXPECT_FALSE(verify_token(*b.snapshot(), token, kIss, 1001));
  EXPECT_EQ(key_rows(*s.db), 1);
  other_db->close();
}

TEST(SharedKeys, RotationOrdersTheNewKeyFirstWhateverTheClock) {
  TestStore s;
  const auto dir = s.dir.path / "keys";
  write_key_file(dir, "from-the-future", 4'000'000'000'000);  // a clock far ahead made it
  KeyRing ring(*s.db, dir);
  const auto r = KeyRing::rotate(*s.db, dir);
  ring.reload();
  EXPECT_EQ(ring.snapshot()->signing().kid, r.kid);
  EXPECT_GT(ring.snapshot()->signing().created_ms, 4'000'000'000'000);
}

TEST(SharedKeys, FirstStartsAtOnceCreateExactlyOneKey) {
  TestStore s;
  const auto dir = s.dir.path / "keys";
  metrics::Registry registry;
  std::vector<std::unique_ptr<store::Database>> handles;
  for (int i = 0; i < 4; ++i) handles.push_back(store::open_sqlite(store::SqliteOptions{.data_dir = s.dir.path}, registry));
  std::vector<std::string> signing(handles.size());
  std::vector<bool> created(handles.size());
  {
    std::vector<std::jthread> starts;
    for (std::size_t i = 0; i < handles.size(); ++i)
      starts.emplace_back([&, i] {
        created[i] = store::run_sync(ensure_signing_keys(*handles[i], dir)).first;
        KeyRing ring(*handles[i], dir);
        signing[i] = ring.snapshot()->signing().kid;
      });
  }
  EXPECT_EQ(std::count(created.begin(), created.end(), true), 1);
  EXPECT_EQ(key_rows(*s.db), 1);
  for (const auto& kid : signing) EXPECT_EQ(kid, signing.front());
  for (auto& h : handles) h->close();
}

TEST(SharedKeys, RevokePreviousDeletesTheRevokedKeysFiles) {
  TestStore s;
  const auto dir = s.dir.path / "keys";
  write_key_file(dir, "leaked", 1000);
  std::ofstream(dir / "notes.txt") << "not a key";
  KeyRing ring(*s.db, dir);
  KeyRing::rotate(*s.db, dir);  // retired: its file stays
  EXPECT_TRUE(fs::exists(dir / "leaked.json"));
  const auto r = KeyRing::rotate(*s.db, dir, true);
  EXPECT_FALSE(fs::exists(dir / "leaked.json"));
  EXPECT_TRUE(fs::exists(dir / "notes.txt"));
  EXPECT_EQ(r.revoked.size(), 2u);
}

}  // namespace
}  // namespace parley::auth
