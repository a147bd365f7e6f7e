#include "auth/signing_key_files.hpp"

#include "core/encoding.hpp"

#include <boost/json.hpp>
#include <sodium.h>

#include <fstream>
#include <sstream>

namespace parley::auth {
namespace fs = std::filesystem;
namespace {

std::optional<StoredKey> read_key_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  boost::system::error_code ec;
  auto v = boost::json::parse(ss.str(), ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.as_object();
  auto seed = encoding::from_base64url(o.at("seed").as_string());
  if (!seed || seed->size() != crypto_sign_SEEDBYTES) return std::nullopt;
  StoredKey k;
  k.kid = std::string(o.at("kid").as_string());
  k.seed.assign(seed->begin(), seed->end());
  k.created_ms = o.at("created_ms").as_int64();
  if (auto* r = o.if_contains("retired_ms")) k.retired_ms = r->as_int64();
  if (k.kid.empty()) return std::nullopt;
  return k;
}

}  // namespace

std::vector<StoredKey> read_key_files(const fs::path& dir) {
  std::vector<StoredKey> keys;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() != ".json") continue;
    try {
      if (auto k = read_key_file(it->path())) keys.push_back(std::move(*k));
    } catch (const std::exception&) {
      // A damaged key file is skipped; the others are still imported.
    }
  }
  return keys;
}

void remove_key_files(const fs::path& dir, const std::vector<std::string>& kids) {
  for (const auto& kid : kids) {
    if (kid.find('/') != std::string::npos || kid.starts_with('.')) continue;  // not a name we wrote
    std::error_code ec;
    fs::remove(dir / (kid + ".json"), ec);
  }
}

}  // namespace parley::auth
