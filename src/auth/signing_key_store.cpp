#include "auth/signing_key_store.hpp"

#include "core/clock.hpp"
#include "core/encoding.hpp"
#include "core/log.hpp"
#include "store/database.hpp"

#include <sodium.h>

#include <boost/json.hpp>

#include <algorithm>
#include <stdexcept>

namespace parley::auth {
namespace {

constexpr std::string_view kInsertKey =
    "INSERT INTO signing_keys (kid, seed, created_ms, retired_ms) VALUES ($1, $2, $3, $4) ON CONFLICT (kid) DO NOTHING";

store::Value optional_int(const std::optional<std::int64_t>& v) {
  return v ? store::Value(*v) : store::Value(std::monostate{});
}

void insert_key(store::Tx& tx, const StoredKey& k) {
  tx.exec(kInsertKey, {k.kid, store::Blob(k.seed.begin(), k.seed.end()), k.created_ms, optional_int(k.retired_ms)});
}

}  // namespace

StoredKey new_stored_key(std::int64_t created_ms) {
  StoredKey k;
  k.kid = encoding::base64url(encoding::random_bytes(9));
  const auto seed = encoding::random_bytes(crypto_sign_SEEDBYTES);
  k.seed.assign(seed.begin(), seed.end());
  k.created_ms = created_ms;
  return k;
}

SigningKey signing_key_of(const StoredKey& stored) {
  if (stored.seed.size() != crypto_sign_SEEDBYTES) throw std::runtime_error("signing key " + stored.kid + ": bad seed");
  SigningKey k;
  k.kid = stored.kid;
  k.created_ms = stored.created_ms;
  k.retired_ms = stored.retired_ms;
  crypto_sign_seed_keypair(k.public_key.data(), k.secret.data(), stored.seed.data());
  return k;
}

boost::asio::awaitable<KeySetup> ensure_signing_keys(store::Database& db, const std::filesystem::path& legacy_dir) {
  if (co_await signing_keys_version(db) > 0) co_return KeySetup{};
  // The first start on this database: the key files of an older version, else a new key.
  std::vector<StoredKey> keys = read_key_files(legacy_dir);
  const std::size_t imported = keys.size();
  if (keys.empty()) keys.push_back(new_stored_key(clock::unix_ms(clock::now())));
  const bool first = co_await db.write("keys.setup", [&](store::Tx& tx) {
    // Only one of several servers starting at once gets to insert the state row (a unique key);
    // the others insert nothing and load the winner's keys.
    tx.exec("INSERT INTO signing_keys_state (id, version) VALUES (1, 1) ON CONFLICT (id) DO NOTHING");
    if (tx.changes() == 0) return false;
    for (const auto& k : keys) insert_key(tx, k);
    return true;
  });
  if (first && imported > 0) {
    boost::json::array kids;
    for (const auto& k : keys) kids.push_back(boost::json::string(k.kid));
    log::info("signing keys imported into the database",
              {{"dir", legacy_dir.string()}, {"count", imported}, {"kids", std::move(kids)}});
  } else if (first) {
    log::info("signing key created", {{"kid", keys.front().kid}});
  }
  co_return KeySetup{first, first ? imported : 0};
}

boost::asio::awaitable<std::int64_t> signing_keys_version(store::Database& db) {
  const auto rows = co_await db.read("keys.version", "SELECT version FROM signing_keys_state WHERE id = 1");
  co_return rows.empty() ? 0 : rows.front().int64(0);
}

boost::asio::awaitable<LoadedKeys> load_signing_keys(store::Database& db) {
  LoadedKeys out;
  out.version = co_await signing_keys_version(db);
  const auto rows = co_await db.read(
      "keys.load", "SELECT kid, seed, created_ms, retired_ms FROM signing_keys ORDER BY created_ms DESC, kid");
  for (const auto& r : rows) {
    StoredKey k;
    k.kid = std::string(r.text(0));
    const auto seed = r.blob(1);
    k.seed.assign(seed.begin(), seed.end());
    k.created_ms = r.int64(2);
    k.retired_ms = r.opt_int64(3);
    try {
      out.keys.push_back(signing_key_of(k));
    } catch (const std::exception& e) {
      log::warn("signing key skipped", {{"kid", k.kid}, {"error", e.what()}});  // the others still verify
    }
  }
  co_return out;
}

boost::asio::awaitable<KeyRing::Rotation> rotate_signing_keys(store::Database& db, bool revoke_previous) {
  const auto now = clock::unix_ms(clock::now());
  StoredKey fresh = new_stored_key(now);
  auto rotation = co_await db.write("keys.rotate", [&](store::Tx& tx) {
    // First the state row: on a server database its row lock makes concurrent rotations take
    // turns, each one seeing the keys the previous one left.
    tx.exec("UPDATE signing_keys_state SET version = version + 1 WHERE id = 1");
    if (tx.changes() == 0) throw std::runtime_error("the database has no signing keys yet");
    KeyRing::Rotation r;
    const auto rows = tx.exec("SELECT kid, created_ms FROM signing_keys");
    // Newer than any other key, whatever the clocks of the machines that made them say.
    for (const auto& row : rows) fresh.created_ms = std::max(fresh.created_ms, row.int64(1) + 1);
    insert_key(tx, fresh);
    if (revoke_previous) {
      for (const auto& row : rows) r.revoked.emplace_back(row.text(0));
      tx.exec("DELETE FROM signing_keys WHERE kid <> $1", {fresh.kid});
    } else {
      tx.exec("UPDATE signing_keys SET retired_ms = $1 WHERE retired_ms IS NULL AND kid <> $2", {now, fresh.kid});
    }
    r.kid = fresh.kid;
    return r;
  });
  co_return rotation;
}

}  // namespace parley::auth
