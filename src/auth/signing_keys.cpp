#include "auth/signing_keys.hpp"

#include "core/clock.hpp"
#include "core/encoding.hpp"
#include "core/json_text.hpp"
#include "core/log.hpp"

#include <boost/json.hpp>
#include <sodium.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace parley::auth {
namespace fs = std::filesystem;
namespace {

void write_private_file(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) throw std::runtime_error("cannot write " + tmp.string());
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot write " + tmp.string());
  fs::rename(tmp, path);
}

boost::json::object key_json(const SigningKey& k, std::span<const std::uint8_t> seed) {
  boost::json::object o{{"kid", k.kid}, {"alg", "EdDSA"}, {"crv", "Ed25519"}, {"created_ms", k.created_ms},
                        {"seed", encoding::base64url(seed)}};
  if (k.retired_ms) o["retired_ms"] = *k.retired_ms;
  return o;
}

std::optional<std::pair<SigningKey, std::vector<std::uint8_t>>> read_key(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  boost::system::error_code ec;
  auto v = boost::json::parse(ss.str(), ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.as_object();
  SigningKey k;
  auto seed = encoding::from_base64url(o.at("seed").as_string());
  if (!seed || seed->size() != crypto_sign_SEEDBYTES) return std::nullopt;
  k.kid = std::string(o.at("kid").as_string());
  k.created_ms = o.at("created_ms").as_int64();
  if (auto* r = o.if_contains("retired_ms")) k.retired_ms = r->as_int64();
  crypto_sign_seed_keypair(k.public_key.data(), k.secret.data(), seed->data());
  return std::make_pair(std::move(k), std::move(*seed));
}

std::vector<std::pair<SigningKey, std::vector<std::uint8_t>>> read_all(const fs::path& dir) {
  std::vector<std::pair<SigningKey, std::vector<std::uint8_t>>> keys;
  if (!fs::exists(dir)) return keys;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    try {
      if (auto k = read_key(entry.path())) keys.push_back(std::move(*k));
    } catch (const std::exception&) {
      // A damaged key file is skipped; the others still verify.
    }
  }
  std::sort(keys.begin(), keys.end(),
            [](const auto& a, const auto& b) { return a.first.created_ms > b.first.created_ms; });
  return keys;
}

std::string create_key(const fs::path& dir, std::int64_t now) {
  fs::create_directories(dir);
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace);
  auto seed = encoding::random_bytes(crypto_sign_SEEDBYTES);
  SigningKey k;
  k.created_ms = now;
  k.kid = encoding::base64url(encoding::random_bytes(9));
  write_private_file(dir / (k.kid + ".json"), json_text(key_json(k, seed)));
  return k.kid;
}

// What the folder holds, cheaply: each key file's name, size and modification time. Any rotation
// changes it (a new file, a rewritten or deleted one).
std::string folder_fingerprint(const fs::path& dir) {
  std::vector<std::string> parts;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() != ".json") continue;
    std::error_code e1, e2;
    const auto size = fs::file_size(it->path(), e1);
    const auto mtime = fs::last_write_time(it->path(), e2);
    parts.push_back(it->path().filename().string() + ":" + std::to_string(e1 ? 0 : size) + ":" +
                    std::to_string(e2 ? 0 : mtime.time_since_epoch().count()));
  }
  std::sort(parts.begin(), parts.end());
  std::string out;
  for (const auto& p : parts) out += p + "\n";
  return out;
}

}  // namespace

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

KeyRing::KeyRing(fs::path dir) : dir_(std::move(dir)) {
  if (read_all(dir_).empty()) create_key(dir_, clock::unix_ms(clock::now()));
  reload();
  if (!snapshot()->keys.size()) throw std::runtime_error("no usable signing key in " + dir_.string());
}

void KeyRing::reload() {
  std::lock_guard lock(reload_mutex_);
  // Taken before reading: a change while we read shows up as a difference at the next look.
  fingerprint_ = folder_fingerprint(dir_);
  auto snap = std::make_shared<Snapshot>();
  for (auto& [k, seed] : read_all(dir_)) snap->keys.push_back(std::move(k));
  if (snap->keys.empty()) return;  // keep what we had rather than lose every key
  snapshot_.store(std::move(snap), std::memory_order_release);
}

bool KeyRing::reload_if_changed() {
  {
    std::lock_guard lock(reload_mutex_);
    if (folder_fingerprint(dir_) == fingerprint_) return false;
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

std::string KeyRing::rotate(const fs::path& dir) { return rotate(dir, false).kid; }

KeyRing::Rotation KeyRing::rotate(const fs::path& dir, bool revoke_previous) {
  const auto now = clock::unix_ms(clock::now());
  auto previous = read_all(dir);
  // The new key first, newer than any other, so that a server reloading meanwhile always has a
  // key to sign with; then the others are retired or deleted.
  std::int64_t created = now;
  for (const auto& [k, seed] : previous) created = std::max(created, k.created_ms + 1);
  Rotation r;
  r.kid = create_key(dir, created);
  for (auto& [k, seed] : previous) {
    if (revoke_previous) {
      fs::remove(dir / (k.kid + ".json"));
      r.revoked.push_back(k.kid);
      continue;
    }
    if (k.retired_ms) continue;
    k.retired_ms = now;
    write_private_file(dir / (k.kid + ".json"), json_text(key_json(k, seed)));
  }
  if (revoke_previous) {
    // Any file that did not parse as a key (e.g. damaged) is removed too: only the new key remains.
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
      if (it->path().extension() == ".json" && it->path().filename() != r.kid + ".json") fs::remove(it->path());
  }
  return r;
}

KeyWatcher::KeyWatcher(KeyRing& ring, std::chrono::milliseconds interval)
    : thread_([&ring, interval](std::stop_token stop) {
        std::mutex m;
        std::condition_variable_any cv;
        std::unique_lock lock(m);
        while (!cv.wait_for(lock, stop, interval, [] { return false; }) && !stop.stop_requested()) {
          try {
            if (!ring.reload_if_changed()) continue;
            const auto snap = ring.snapshot();
            boost::json::array kids;
            for (const auto& k : snap->keys) kids.push_back(boost::json::string(k.kid));
            log::info("signing keys reloaded", {{"signing_kid", snap->signing().kid}, {"kids", std::move(kids)}});
          } catch (const std::exception& e) {
            log::warn("signing keys not reloaded", {{"error", e.what()}});
          }
        }
      }) {}

KeyWatcher::~KeyWatcher() {
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace parley::auth
