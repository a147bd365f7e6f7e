#pragma once
// A Lua script for Client::eval: its text and the SHA-1 Redis knows it by (EVALSHA).
#include <string>

namespace parley::bus::redis {

struct Script {
  explicit Script(std::string lua);
  std::string text;
  std::string sha1;  // lowercase hex
};

}  // namespace parley::bus::redis
