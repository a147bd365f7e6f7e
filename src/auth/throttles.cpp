#include "auth/throttles.hpp"

#include <algorithm>
#include <cctype>

namespace parley::auth {

Problem rate_limited_problem(std::chrono::seconds retry_after, std::string detail) {
  Problem p = problems::rate_limited(std::move(detail));
  p.headers.emplace_back("Retry-After", std::to_string(std::max<std::int64_t>(1, retry_after.count())));
  return p;
}

namespace {

std::string folded(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

}  // namespace

Throttles::Throttles(const Config& config)
    : login_account_(config.login_limit_account),
      login_ip_(config.login_limit_ip),
      signup_ip_(config.signup_limit_ip),
      mail_address_(config.mail_limit_address),
      login_device_(config.login_limit_device) {}

Throttles::LoginTicket Throttles::login_attempt(std::string_view account, std::string_view ip) {
  LoginTicket t;
  t.account_key = account;
  t.ip_key = ip;
  // The IP first: a caller over the IP limit must not eat into an account's allowance.
  const auto by_ip = login_ip_.hit(t.ip_key);
  if (!by_ip.allowed) throw ApiError(rate_limited_problem(by_ip.retry_after, "too many failed logins from this address"));
  t.ip_at = by_ip.at;
  const auto by_account = login_account_.hit(t.account_key);
  if (!by_account.allowed) {
    login_ip_.forgive(t.ip_key, t.ip_at);
    throw ApiError(rate_limited_problem(by_account.retry_after, "too many failed logins for this account"));
  }
  t.account_at = by_account.at;
  return t;
}

Throttles::LoginTicket Throttles::device_login_attempt(std::string_view device) {
  LoginTicket t;
  t.device_key = device;
  const auto d = login_device_.hit(t.device_key);
  if (!d.allowed) throw ApiError(rate_limited_problem(d.retry_after, "too many failed logins from this device"));
  t.device_at = d.at;
  return t;
}

void Throttles::login_succeeded(const LoginTicket& t) {
  constexpr RateLimiter::Clock::time_point none{};  // a limiter the attempt was not counted by
  if (t.account_at != none) login_account_.forgive(t.account_key, t.account_at);
  if (t.ip_at != none) login_ip_.forgive(t.ip_key, t.ip_at);
  if (t.device_at != none) login_device_.forgive(t.device_key, t.device_at);
}

void Throttles::signup(std::string_view ip) {
  const auto d = signup_ip_.hit(ip);
  if (!d.allowed) throw ApiError(rate_limited_problem(d.retry_after, "too many sign-ups from this address"));
}

void Throttles::mail(std::string_view address) {
  const auto d = mail_address_.hit(folded(address));
  if (!d.allowed) throw ApiError(rate_limited_problem(d.retry_after, "too many mails to this address"));
}

bool Throttles::try_mail(std::string_view address) { return mail_address_.hit(folded(address)).allowed; }

}  // namespace parley::auth
