#pragma once
// The account as the service sees it, and its public JSON shapes.
#include "store/value.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace parley::auth {

struct User {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string email;
  bool email_verified = false;
  std::string bio;
  std::optional<std::string> avatar_file_id;
  std::string created_at;
  std::string role = "user";
  std::string password_hash;
  bool totp_enabled = false;
  std::string last_seen_privacy = "everyone";
  std::string group_add_privacy = "everyone";  // who may add them to groups: everyone, contacts, nobody
  bool banned = false;
  bool deleted = false;
};

// The columns user_from_row() reads, for SELECT lists: "SELECT " + kUserColumns + " FROM users ..."
inline constexpr const char* kUserColumns =
    "id, username, display_name, email, email_verified, bio, avatar_file_id, created_at, role, "
    "password_hash, totp_enabled, last_seen_privacy, banned_at IS NOT NULL, deleted_at IS NOT NULL, "
    "group_add_privacy";
User user_from_row(const store::Row& row);

// API.md's User; email and email_verified only for the account's owner.
boost::json::object user_json(const User& u, bool self);

}  // namespace parley::auth
