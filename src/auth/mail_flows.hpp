#pragma once
// The account mail flows of API.md: email verification (at sign-up and on request), password
// reset, email change. Tokens: auth/mail_tokens.hpp; bodies: auth/mail_templates.hpp; sending:
// mail::Mailer (queued on its own thread, so no flow waits for SMTP).
#include "auth/auth_service.hpp"
#include "net/router.hpp"

namespace parley::auth {

// Issues a verification token and queues the mail. Never throws: a failure is logged (sign-up
// must not fail because mail did). No-op without a mailer or for a verified address.
asio::awaitable<void> send_verification_mail(AuthService& auth, const User& user);

// 429 when the address had too many mails; no-op when already verified.
asio::awaitable<void> resend_verification(AuthService& auth, std::int64_t user_id);
// 400 invalid_token unless the token is a live verification token for the account's current address.
asio::awaitable<User> confirm_verification(AuthService& auth, std::string token);

// Runs detached from the request (the caller answers 202 at once, whatever the address).
asio::awaitable<void> password_reset_mail_job(AuthService& auth, std::string email);
// Sets the new password and revokes every session of the account. 400 invalid_token, 422.
asio::awaitable<void> confirm_password_reset(AuthService& auth, std::string token, std::string password);

// Checks the password (403 invalid_credentials), the address (422; 409 email_taken) and mails a
// link to the new address.
asio::awaitable<void> request_email_change(AuthService& auth, const Principal& me, std::string new_email,
                                           std::string password, std::string ip);
// Changes the address (verified), tells the old one. 400 invalid_token, 409 email_taken.
asio::awaitable<User> confirm_email_change(AuthService& auth, std::string token);

// POST /v1/auth/verify-email/{resend,confirm}, /password-reset/{request,confirm},
// /email-change/{request,confirm}.
void add_mail_flow_routes(net::Router& router, AuthService& auth);

}  // namespace parley::auth
