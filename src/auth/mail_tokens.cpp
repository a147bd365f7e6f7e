#include "auth/mail_tokens.hpp"

#include "core/clock.hpp"
#include "core/encoding.hpp"

namespace parley::auth {

std::string_view purpose_name(MailPurpose p) {
  switch (p) {
    case MailPurpose::verify_email: return "verify_email";
    case MailPurpose::password_reset: return "password_reset";
    case MailPurpose::email_change: return "email_change";
  }
  return "verify_email";
}

std::chrono::milliseconds token_ttl(MailPurpose p) {
  return p == MailPurpose::password_reset ? std::chrono::hours(1) : std::chrono::hours(24);
}

bool plausible_token(std::string_view token) {
  if (token.size() != 43) return false;
  for (unsigned char c : token)
    if (!(std::isalnum(c) || c == '-' || c == '_')) return false;
  return true;
}

std::string issue_mail_token(store::Tx& tx, std::int64_t user_id, MailPurpose purpose, const std::string& email,
                             std::int64_t now_ms) {
  std::string token = encoding::base64url(encoding::random_bytes(32));
  tx.exec("INSERT INTO mail_tokens (hash, user_id, purpose, new_email, expires_at) VALUES ($1, $2, $3, $4, $5)",
          {encoding::digest(token), user_id, std::string(purpose_name(purpose)), email,
           now_ms + static_cast<std::int64_t>(token_ttl(purpose).count())});
  return token;
}

std::optional<RedeemedToken> redeem_mail_token(store::Tx& tx, std::string_view token, MailPurpose purpose,
                                               std::int64_t now_ms) {
  if (!plausible_token(token)) return std::nullopt;
  const auto hash = encoding::digest(token);
  auto rows = tx.exec(
      "SELECT user_id, COALESCE(new_email, '') FROM mail_tokens "
      "WHERE hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
      {hash, std::string(purpose_name(purpose)), now_ms});
  if (rows.empty()) return std::nullopt;
  RedeemedToken out{rows.front().int64(0), std::string(rows.front().text(1))};
  invalidate_mail_tokens(tx, out.user_id, purpose, now_ms);
  return out;
}

void invalidate_mail_tokens(store::Tx& tx, std::int64_t user_id, MailPurpose purpose, std::int64_t now_ms) {
  tx.exec("UPDATE mail_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL",
          {clock::format_rfc3339_ms(now_ms), user_id, std::string(purpose_name(purpose))});
}

}  // namespace parley::auth
