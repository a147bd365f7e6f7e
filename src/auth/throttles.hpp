#pragma once
// The account-protection throttles, with the limits from the configuration (API.md defaults):
//   failed logins        5 per 15 min per account, 50 per 15 min per IP   (login-limit-account, login-limit-ip)
//   ... from a known device (auth/device_tokens.hpp): 5 per 15 min per device token, and neither
//   of the two above                                                       (login-limit-device)
//   sign-ups            20 per hour per IP                                 (signup-limit-ip)
//   reset/verify mails   5 per hour per address                            (mail-limit-address)
// Over a limit the throwing calls raise ApiError 429 rate_limited carrying a Retry-After header.
// One AuthService owns one Throttles: `auth.throttles()`.
#include "core/config.hpp"
#include "core/problem.hpp"
#include "core/rate_limiter.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace parley::auth {

// 429 rate_limited with Retry-After: <seconds>.
Problem rate_limited_problem(std::chrono::seconds retry_after, std::string detail);

class Throttles {
 public:
  explicit Throttles(const Config& config);

  // A login attempt, counted as a failure up front (so that parallel attempts cannot overshoot);
  // login_succeeded() takes it back. `account` is the user id when the login names an account,
  // else the lower-cased login text, so that unknown accounts are throttled exactly alike.
  struct LoginTicket {
    std::string account_key, ip_key, device_key;
    RateLimiter::Clock::time_point account_at{}, ip_at{}, device_at{};  // {}: not counted there
  };
  LoginTicket login_attempt(std::string_view account, std::string_view ip);  // throws 429
  // A login from a known device, `device` naming its device token: counted against that token only.
  LoginTicket device_login_attempt(std::string_view device);  // throws 429
  void login_succeeded(const LoginTicket& ticket);

  void signup(std::string_view ip);  // throws 429

  // Reset and verification mails to `address` (any case). mail() throws 429; try_mail() answers
  // false instead (for endpoints that must answer 202 whatever happens).
  void mail(std::string_view address);
  bool try_mail(std::string_view address);

 private:
  RateLimiter login_account_, login_ip_, signup_ip_, mail_address_, login_device_;
};

}  // namespace parley::auth
