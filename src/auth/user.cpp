#include "auth/user.hpp"

namespace parley::auth {

User user_from_row(const store::Row& r) {
  User u;
  u.id = r.int64(0);
  u.username = r.opt_text(1).value_or("");
  u.display_name = std::string(r.text(2));
  u.email = r.opt_text(3).value_or("");
  u.email_verified = r.int64(4) != 0;
  u.bio = std::string(r.text(5));
  u.avatar_file_id = r.opt_text(6);
  u.created_at = std::string(r.text(7));
  u.role = std::string(r.text(8));
  u.password_hash = r.opt_text(9).value_or("");
  u.totp_enabled = r.int64(10) != 0;
  u.last_seen_privacy = std::string(r.text(11));
  u.banned = r.int64(12) != 0;
  u.deleted = r.int64(13) != 0;
  u.group_add_privacy = std::string(r.text(14));
  return u;
}

boost::json::object user_json(const User& u, bool self) {
  boost::json::object o{{"id", std::to_string(u.id)},
                        {"username", u.username},
                        {"display_name", u.display_name},
                        {"bio", u.bio},
                        {"avatar_file_id", u.avatar_file_id ? boost::json::value(*u.avatar_file_id) : nullptr},
                        {"created_at", u.created_at},
                        {"role", u.role}};
  if (self) {
    o["email"] = u.email;
    o["email_verified"] = u.email_verified;
    o["mfa_enabled"] = u.totp_enabled;
    o["last_seen_privacy"] = u.last_seen_privacy;
    o["group_add_privacy"] = u.group_add_privacy;
  }
  if (u.deleted) o["deleted"] = true;
  return o;
}

}  // namespace parley::auth
