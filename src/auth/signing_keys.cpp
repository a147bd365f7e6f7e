#include "auth/signing_keys.hpp"

#include "auth/signing_key_store.hpp"
#include "core/encoding.hpp"
#include "core/log.hpp"
#include "store/run_sync.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include <condition_variable>
#include <stdexcept>

namespace parley::auth {
namespace fs = std::filesystem;

const SigningKey* KeyRing::Snapshot::find(std::string_view kid) const {
  for (const auto& k : keys)
    if (k.kid == kid) return &k;
  return nullptr;
}

const SigningKey& KeyRing::Snapshot::signing() const {
  for (const auto& k : keys)
    if (!k.retired_ms) return k;
  return keys.front();
}

KeyRing::KeyRing(store::Database& db, fs::path legacy_dir)
    : db_(db), legacy_dir_(std::move(legacy_dir)), io_(std::make_unique<boost::asio::io_context>()) {
  {
    std::lock_guard lock(reload_mutex_);
    store::run_sync(*io_, ensure_signing_keys(db_, legacy_dir_));
  }
  reload();
  const auto snap = snapshot();
  if (!snap || snap->keys.empty()) throw std::runtime_error("no usable signing key in the database");
}

KeyRing::~KeyRing() = default;

void KeyRing::reload() {
  std::lock_guard lock(reload_mutex_);
  auto loaded = store::run_sync(*io_, load_signing_keys(db_));
  version_ = loaded.version;
  if (loaded.keys.empty()) return;  // keep what we had rather than lose every key
  auto snap = std::make_shared<Snapshot>();
  snap->keys = std::move(loaded.keys);
  snapshot_.store(std::move(snap), std::memory_order_release);
}

bool KeyRing::reload_if_changed() {
  {
    std::lock_guard lock(reload_mutex_);
    if (store::run_sync(*io_, signing_keys_version(db_)) == version_) return false;
  }
  reload();
  return true;
}

boost::json::object KeyRing::jwks(std::int64_t now_ms, std::int64_t token_ttl_ms) const {
  boost::json::array keys;
  for (const auto& k : snapshot()->keys) {
    if (k.retired_ms && *k.retired_ms + token_ttl_ms < now_ms) continue;
    keys.push_back(boost::json::object{{"kty", "OKP"},
                                       {"crv", "Ed25519"},
                                       {"alg", "EdDSA"},
                                       {"use", "sig"},
                                       {"kid", k.kid},
                                       {"x", encoding::base64url(k.public_key)}});
  }
  return {{"keys", std::move(keys)}};
}

KeyRing::Rotation KeyRing::rotate(store::Database& db, const fs::path& legacy_dir, bool revoke_previous) {
  store::run_sync(ensure_signing_keys(db, legacy_dir));
  auto r = store::run_sync(rotate_signing_keys(db, revoke_previous));
  // A revoked key leaked: its old file (an older version's copy) goes too.
  if (revoke_previous) remove_key_files(legacy_dir, r.revoked);
  return r;
}

KeyWatcher::KeyWatcher(KeyRing& ring, std::chrono::milliseconds interval)
    : thread_([&ring, interval](std::stop_token stop) {
        std::mutex m;
        std::condition_variable_any cv;
        std::unique_lock lock(m);
        bool failing = false;  // one warning per outage, not one a second
        while (!cv.wait_for(lock, stop, interval, [] { return false; }) && !stop.stop_requested()) {
          try {
            const bool changed = ring.reload_if_changed();
            if (failing) log::info("signing keys checked again");
            failing = false;
            if (!changed) continue;
            const auto snap = ring.snapshot();
            boost::json::array kids;
            for (const auto& k : snap->keys) kids.push_back(boost::json::string(k.kid));
            log::info("signing keys reloaded", {{"signing_kid", snap->signing().kid}, {"kids", std::move(kids)}});
          } catch (const std::exception& e) {
            if (!failing) log::warn("signing keys not reloaded", {{"error", e.what()}});
            failing = true;
          }
        }
      }) {}

KeyWatcher::~KeyWatcher() {
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace parley::auth
