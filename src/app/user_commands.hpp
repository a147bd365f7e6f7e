#pragma once
// `parley user create|list|set-role|ban|unban|delete`; each returns the exit code (0 done, 1 failed,
// 2 bad usage) and is safe to run while a server uses the same data folder.
#include "core/config.hpp"

#include <string>

namespace parley::app {

struct UserCreateArgs {
  std::string email, username;
  std::string role = "user";
  bool password_stdin = false;  // else a random password is generated and printed once
};

int user_create(const Config& config, const UserCreateArgs& args);
int user_list(const Config& config, int limit);
int user_set_role(const Config& config, const std::string& who, const std::string& role);
int user_ban(const Config& config, const std::string& who, bool ban);
int user_delete(const Config& config, const std::string& who);

}  // namespace parley::app
