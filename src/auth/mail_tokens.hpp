#pragma once
// Emailed tokens (verification, password reset, email change): 32 random bytes, base64url in the
// link, stored only as a BLAKE2b-256 digest in mail_tokens, single-use, expiring.
//
// Policy: issuing a new token leaves older unused tokens of the same purpose valid until they
// expire (a user who asks twice may click either mail). Redeeming one invalidates every other
// open token of that purpose for the user; a password reset also invalidates open email-change
// tokens (whoever asked for them may have known the old password).
#include "store/database.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parley::auth {

enum class MailPurpose { verify_email, password_reset, email_change };

std::string_view purpose_name(MailPurpose p);
std::chrono::milliseconds token_ttl(MailPurpose p);  // 24 h, 1 h, 24 h

// A token's shape: 43 base64url characters. Anything else is refused before touching the store.
bool plausible_token(std::string_view token);

// Inside a write: a fresh token for the user, valid from now_ms for token_ttl(purpose).
// `email` is the address the mail goes to (the new one for an email change).
std::string issue_mail_token(store::Tx& tx, std::int64_t user_id, MailPurpose purpose, const std::string& email,
                             std::int64_t now_ms);

struct RedeemedToken {
  std::int64_t user_id = 0;
  std::string email;  // as given to issue_mail_token
};
// Inside a write: marks the token used and returns its row, or nullopt when the token is unknown,
// of another purpose, used or expired.
std::optional<RedeemedToken> redeem_mail_token(store::Tx& tx, std::string_view token, MailPurpose purpose,
                                               std::int64_t now_ms);
// Inside a write: marks every open token of that purpose of the user used.
void invalidate_mail_tokens(store::Tx& tx, std::int64_t user_id, MailPurpose purpose, std::int64_t now_ms);

}  // namespace parley::auth
