#pragma once
// The table of settings (internal to config_*.cpp).
#include "core/config.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace parley::config_detail {

struct Setting {
  std::string name;  // flag name without "--"; env is PARLEY_ + upper(name with - as _); TOML key has _ for -
  std::string help;
  bool secret = false;
  bool boolean = false;  // a flag without value on the command line
  // Parses and stores a raw value; returns nullopt on success or "what is allowed" on failure.
  std::function<std::optional<std::string>(Config&, const std::string&)> apply;
  // The current value as a TOML literal.
  std::function<std::string(const Config&)> show;

  std::string env_name() const;
  std::string toml_key() const;
};

const std::vector<Setting>& settings();

}  // namespace parley::config_detail
