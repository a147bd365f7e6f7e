#include "auth/jwt.hpp"

#include "core/encoding.hpp"
#include "core/json_text.hpp"

#include <boost/json.hpp>
#include <sodium.h>

#include <list>
#include <unordered_map>

namespace parley::auth {
namespace {

std::optional<boost::json::object> decode_json_part(std::string_view part) {
  auto bytes = encoding::from_base64url(part);
  if (!bytes) return std::nullopt;
  boost::system::error_code ec;
  auto v = boost::json::parse(std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()), ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

std::optional<std::int64_t> int_claim(const boost::json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_string()) {  // ids travel as decimal strings
    try {
      return std::stoll(std::string(v->as_string()));
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string sign_token(const SigningKey& key, const Claims& c, const std::string& issuer) {
  const std::string header = json_text(boost::json::object{{"alg", "EdDSA"}, {"typ", "JWT"}, {"kid", key.kid}});
  const std::string payload = json_text(boost::json::object{{"sub", std::to_string(c.sub)},
                                                            {"sid", std::to_string(c.sid)},
                                                            {"role", c.role},
                                                            {"iat", c.iat},
                                                            {"exp", c.exp},
                                                            {"iss", issuer}});
  std::string signing_input = encoding::base64url(header) + "." + encoding::base64url(payload);
  std::array<std::uint8_t, crypto_sign_BYTES> sig{};
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(signing_input.data()),
                       signing_input.size(), key.secret.data());
  return signing_input + "." + encoding::base64url(sig);
}

std::optional<Claims> verify_token(const KeyRing::Snapshot& keys, std::string_view token, const std::string& issuer,
                                   std::int64_t now_s) {
  if (token.size() > 4096) return std::nullopt;
  const auto dot1 = token.find('.');
  const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) return std::nullopt;
  auto header = decode_json_part(token.substr(0, dot1));
  if (!header) return std::nullopt;
  const auto* alg = header->if_contains("alg");
  const auto* kid = header->if_contains("kid");
  if (!alg || !alg->is_string() || alg->as_string() != "EdDSA" || !kid || !kid->is_string()) return std::nullopt;
  const SigningKey* key = keys.find(kid->as_string());
  if (!key) return std::nullopt;
  auto sig = encoding::from_base64url(token.substr(dot2 + 1));
  if (!sig || sig->size() != crypto_sign_BYTES) return std::nullopt;
  const std::string_view signing_input = token.substr(0, dot2);
  if (crypto_sign_verify_detached(sig->data(), reinterpret_cast<const unsigned char*>(signing_input.data()),
                                  signing_input.size(), key->public_key.data()) != 0)
    return std::nullopt;
  auto payload = decode_json_part(token.substr(dot1 + 1, dot2 - dot1 - 1));
  if (!payload) return std::nullopt;
  const auto* iss = payload->if_contains("iss");
  const auto* role = payload->if_contains("role");
  if (!iss || !iss->is_string() || iss->as_string() != issuer || !role || !role->is_string()) return std::nullopt;
  Claims c;
  auto sub = int_claim(*payload, "sub"), sid = int_claim(*payload, "sid"), iat = int_claim(*payload, "iat"),
       exp = int_claim(*payload, "exp");
  if (!sub || !sid || !iat || !exp || *exp <= now_s) return std::nullopt;
  c.sub = *sub;
  c.sid = *sid;
  c.iat = *iat;
  c.exp = *exp;
  c.role = std::string(role->as_string());
  c.kid = key->kid;
  return c;
}

namespace {

struct Lru {
  std::size_t capacity = 50'000;
  std::list<std::pair<std::string, Claims>> order;  // most recent first
  std::unordered_map<std::string, decltype(order)::iterator> index;
};

std::size_t g_capacity = 50'000;

Lru& lru() {
  thread_local Lru cache;
  cache.capacity = g_capacity;
  return cache;
}

std::string key_of(std::string_view token) {
  const auto d = encoding::digest(token);
  return std::string(d.begin(), d.end());
}

}  // namespace

std::optional<Claims> TokenCache::get(std::string_view token, std::int64_t now_s) {
  auto& c = lru();
  const auto it = c.index.find(key_of(token));
  if (it == c.index.end()) return std::nullopt;
  if (it->second->second.exp <= now_s) {
    c.order.erase(it->second);
    c.index.erase(it);
    return std::nullopt;
  }
  c.order.splice(c.order.begin(), c.order, it->second);
  return it->second->second;
}

void TokenCache::put(std::string_view token, const Claims& claims) {
  auto& c = lru();
  if (c.capacity == 0) return;
  auto key = key_of(token);
  if (c.index.contains(key)) return;
  c.order.emplace_front(key, claims);
  c.index.emplace(std::move(key), c.order.begin());
  while (c.order.size() > c.capacity) {
    c.index.erase(c.order.back().first);
    c.order.pop_back();
  }
}

void TokenCache::set_capacity(std::size_t per_thread) { g_capacity = per_thread; }

}  // namespace parley::auth
