#include "auth/totp.hpp"

#include "core/encoding.hpp"

#include <liboath/oath.h>
#include <qrencode.h>

#include <fmt/format.h>
#include <sodium.h>

#include <cctype>
#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace parley::auth::totp {
namespace {

void ensure_oath() {
  static const int rc = oath_init();
  if (rc != OATH_OK) throw std::runtime_error(std::string("liboath: ") + oath_strerror(rc));
}

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string uri_escape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

}  // namespace

std::string base32_encode(std::string_view bytes) {
  ensure_oath();
  char* out = nullptr;
  std::size_t len = 0;
  if (oath_base32_encode(bytes.data(), bytes.size(), &out, &len) != OATH_OK) throw std::runtime_error("base32 encode");
  std::unique_ptr<char, decltype(&std::free)> owned(out, &std::free);
  std::string s(out, len);
  while (!s.empty() && s.back() == '=') s.pop_back();
  return s;
}

std::optional<std::string> base32_decode(std::string_view text) {
  ensure_oath();
  std::string clean;
  for (char c : text) {
    if (c == ' ' || c == '=' || c == '-') continue;
    clean += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  while (clean.size() % 8) clean += '=';
  char* out = nullptr;
  std::size_t len = 0;
  if (oath_base32_decode(clean.data(), clean.size(), &out, &len) != OATH_OK) return std::nullopt;
  std::unique_ptr<char, decltype(&std::free)> owned(out, &std::free);
  return std::string(out, len);
}

std::string new_secret() {
  const auto bytes = encoding::random_bytes(kSecretBytes);
  return base32_encode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::string code_at_step(std::string_view secret, std::int64_t step, unsigned digits) {
  ensure_oath();
  char out[16] = {};
  const int rc = oath_hotp_generate(secret.data(), secret.size(), static_cast<std::uint64_t>(step), digits, false,
                                    OATH_HOTP_DYNAMIC_TRUNCATION, out);
  if (rc != OATH_OK) throw std::runtime_error(std::string("liboath: ") + oath_strerror(rc));
  return std::string(out);
}

std::optional<std::int64_t> verify(std::string_view secret, std::string_view code, std::int64_t unix_seconds,
                                   std::int64_t last_step) {
  if (code.size() != kDigits || secret.empty()) return std::nullopt;
  for (char c : code)
    if (c < '0' || c > '9') return std::nullopt;
  const auto now_step = step_of(unix_seconds);
  std::optional<std::int64_t> matched;
  // Every candidate is generated and compared (no early exit), in constant time.
  for (auto step = now_step - kWindowSteps; step <= now_step + kWindowSteps; ++step) {
    const bool same = encoding::equal_ct(code_at_step(secret, step), code);
    if (same && step > last_step && !matched) matched = step;
  }
  return matched;
}

std::string otpauth_uri(std::string_view app, std::string_view account, std::string_view secret_base32) {
  return fmt::format("otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={}&period={}", uri_escape(app),
                     uri_escape(account), secret_base32, uri_escape(app), kDigits, kPeriodSeconds);
}

std::string qr_svg(std::string_view text) {
  const std::string s(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(QRcode_encodeString(s.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1),
                                                     &QRcode_free);
  if (!qr) throw std::runtime_error("cannot encode the QR code");
  constexpr int quiet = 4;
  const int w = qr->width;
  const int size = w + 2 * quiet;
  std::string path;
  path.reserve(static_cast<std::size_t>(w * w) * 4);
  for (int y = 0; y < w; ++y) {
    for (int x = 0; x < w;) {
      if (!(qr->data[y * w + x] & 1)) {
        ++x;
        continue;
      }
      int run = 1;  // a horizontal run of dark modules becomes one rectangle
      while (x + run < w && (qr->data[y * w + x + run] & 1)) ++run;
      path += fmt::format("M{},{}h{}v1h-{}z", x + quiet, y + quiet, run, run);
      x += run;
    }
  }
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {0}\" shape-rendering=\"crispEdges\">"
      "<rect width=\"{0}\" height=\"{0}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{1}\"/></svg>",
      size, path);
}

std::string new_recovery_code() {
  static constexpr char kAlphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";  // 31 symbols, no 0/o/1/l/i
  std::string code;
  for (int i = 0; i < 10; ++i) {
    if (i == 5) code += '-';
    code += kAlphabet[randombytes_uniform(sizeof(kAlphabet) - 1)];
  }
  return code;
}

std::string normalize_recovery_code(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == '-' || c == ' ') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace parley::auth::totp
