#include "auth/signing_keys.hpp"

#include "core/clock.hpp"
#include "core/encoding.hpp"

#include <boost/json.hpp>
#include <sodium.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
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

void create_key(const fs::path& dir, std::int64_t now) {
  fs::create_directories(dir);
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace);
  auto seed = encoding::random_bytes(crypto_sign_SEEDBYTES);
  SigningKey k;
  k.created_ms = now;
  k.kid = encoding::base64url(encoding::random_bytes(9));
  write_private_file(dir / (k.kid + ".json"), boost::json::serialize(key_json(k, seed)));
}

}  // namespace

const SigningKey* KeyRing::Snapshot::find(std::string_view kid) const {
  for (const auto& k : keys)
    if (k.kid == kid) return &k;
  return nullptr;
}

KeyRing::KeyRing(fs::path dir) : dir_(std::move(dir)) {
  if (read_all(dir_).empty()) create_key(dir_, clock::unix_ms(clock::now()));
  reload();
  if (!snapshot()->keys.size()) throw std::runtime_error("no usable signing key in " + dir_.string());
}

void KeyRing::reload() {
  auto snap = std::make_shared<Snapshot>();
  for (auto& [k, seed] : read_all(dir_)) snap->keys.push_back(std::move(k));
  if (snap->keys.empty()) return;  // keep what we had rather than lose every key
  snapshot_.store(std::move(snap), std::memory_order_release);
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

std::string KeyRing::rotate(const fs::path& dir) {
  const auto now = clock::unix_ms(clock::now());
  for (auto& [k, seed] : read_all(dir)) {
    if (k.retired_ms) continue;
    k.retired_ms = now;
    write_private_file(dir / (k.kid + ".json"), boost::json::serialize(key_json(k, seed)));
  }
  create_key(dir, now + 1);
  return read_all(dir).front().first.kid;
}

}  // namespace parley::auth
