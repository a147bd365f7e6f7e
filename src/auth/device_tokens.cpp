#include "auth/device_tokens.hpp"

#include "core/ascii.hpp"
#include "core/encoding.hpp"

#include <sodium.h>

#include <array>
#include <charconv>
#include <vector>

namespace parley::auth {
namespace {

constexpr std::string_view kPrefix = "pd1:";

std::optional<std::int64_t> number(std::string_view s) {
  std::int64_t v = 0;
  if (s.empty() || s.size() > 19) return std::nullopt;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  for (;;) {
    const auto at = s.find(sep);
    parts.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return parts;
    s.remove_prefix(at + 1);
  }
}

}  // namespace

std::string issue_device_token(const SigningKey& key, std::int64_t user_id, std::int64_t device, std::int64_t now_s) {
  const std::string payload = std::string(kPrefix) + key.kid + ":" + std::to_string(user_id) + ":" +
                              std::to_string(device) + ":" + std::to_string(now_s);
  std::array<std::uint8_t, crypto_sign_BYTES> sig{};
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(payload.data()), payload.size(),
                       key.secret.data());
  return encoding::base64url(payload) + "." + encoding::base64url(sig);
}

std::optional<DeviceToken> verify_device_token(const KeyRing::Snapshot& keys, std::string_view token,
                                               std::int64_t now_s) {
  if (token.empty() || token.size() > 512) return std::nullopt;
  const auto dot = token.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  auto payload_bytes = encoding::from_base64url(token.substr(0, dot));
  auto sig = encoding::from_base64url(token.substr(dot + 1));
  if (!payload_bytes || !sig || sig->size() != crypto_sign_BYTES) return std::nullopt;
  const std::string payload(payload_bytes->begin(), payload_bytes->end());
  if (!payload.starts_with(kPrefix)) return std::nullopt;
  const auto parts = split(std::string_view(payload).substr(kPrefix.size()), ':');
  if (parts.size() != 4) return std::nullopt;
  const SigningKey* key = keys.find(parts[0]);
  if (!key) return std::nullopt;
  if (crypto_sign_verify_detached(sig->data(), reinterpret_cast<const unsigned char*>(payload.data()), payload.size(),
                                  key->public_key.data()) != 0)
    return std::nullopt;
  auto user = number(parts[1]);
  auto device = number(parts[2]);
  auto issued = number(parts[3]);
  if (!user || !device || !issued) return std::nullopt;
  if (*issued > now_s + 300 || now_s - *issued > kDeviceTokenTtlSeconds) return std::nullopt;
  return DeviceToken{*user, *device, *issued};
}

std::string device_cookie(std::string_view token, bool secure) {
  std::string c = std::string(kDeviceCookie) + "=" + std::string(token) +
                  "; Path=/v1/auth; Max-Age=" + std::to_string(kDeviceTokenTtlSeconds) + "; HttpOnly; SameSite=Strict";
  if (secure) c += "; Secure";
  return c;
}

std::string_view cookie_value(std::string_view header, std::string_view name) {
  for (auto pair : split(header, ';')) {
    pair = ascii::trim_ows(pair);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos || ascii::trim_ows(pair.substr(0, eq)) != name) continue;
    auto value = ascii::trim_ows(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    return value;
  }
  return {};
}

}  // namespace parley::auth
