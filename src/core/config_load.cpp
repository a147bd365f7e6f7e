// Where settings come from: flags, PARLEY_* environment, the TOML file, defaults.
#include "core/config_settings.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <toml++/toml.h>

#include <cstdlib>
#include <set>

namespace parley {
namespace {

using config_detail::Setting;
using config_detail::settings;

std::string shown_value(const Setting& s, const std::string& raw) {
  return s.secret ? mask_url_password(raw) : raw;
}

void apply(Config& c, const Setting& s, const std::string& raw, const std::string& source) {
  if (auto allowed = s.apply(c, raw)) throw ConfigError(s.name, shown_value(s, raw), source, *allowed);
}

// A TOML value as the raw text a flag would carry; nullopt for tables and other shapes.
std::optional<std::string> toml_raw(const toml::node& node) {
  if (auto v = node.value<std::string>()) return *v;
  if (auto v = node.value_exact<bool>()) return std::string(*v ? "true" : "false");
  if (node.is_integer()) return std::to_string(node.value<std::int64_t>().value_or(0));
  if (auto arr = node.as_array()) {
    std::string out;
    for (const auto& el : *arr) {
      auto s = el.value<std::string>();
      if (!s) return std::nullopt;
      if (!out.empty()) out += ',';
      out += *s;
    }
    return out;
  }
  return std::nullopt;
}

void apply_toml_file(Config& c, const std::string& path, const std::set<std::string>& overridden) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    throw ConfigError("config", path, "--config",
                      fmt::format("expected a readable TOML file ({} at line {}, column {})", e.description(),
                                  where.line, where.column));
  }
  for (const auto& [key, node] : table) {
    const std::string k(key.str());
    const Setting* found = nullptr;
    for (const auto& s : settings())
      if (s.toml_key() == k) found = &s;
    if (!found || k == "config")
      throw ConfigError(k, "", path, "not a known setting (see `parley serve --help` or docs/configuration.md)");
    if (overridden.contains(found->name)) continue;
    auto raw = toml_raw(node);
    if (!raw) throw ConfigError(found->name, "(not a string, integer, boolean or list)", path, "expected a plain value");
    apply(c, *found, *raw, path);
  }
}

}  // namespace

void add_config_options(CLI::App& cmd, FlagValues& flags) {
  cmd.add_option_function<std::string>("--config", [&flags](const std::string& v) { flags["config"] = v; },
                                       "TOML configuration file (env PARLEY_CONFIG)");
  for (const auto& s : settings()) {
    const std::string help = fmt::format("{} (env {})", s.help, s.env_name());
    if (s.boolean) {
      cmd.add_flag_callback("--" + s.name, [&flags, name = s.name] { flags[name] = "true"; }, help);
    } else {
      cmd.add_option_function<std::string>("--" + s.name, [&flags, name = s.name](const std::string& v) {
        flags[name] = v;
      }, help);
    }
  }
}

Config load_config(const FlagValues& flags) {
  Config c;
  // Which settings a higher-precedence source (flag or env) gives: the file must not override them.
  std::set<std::string> overridden;
  std::map<std::string, std::pair<std::string, std::string>> high;  // name -> (raw, source)
  for (const auto& s : settings()) {
    if (auto f = flags.find(s.name); f != flags.end()) {
      high[s.name] = {f->second, "--" + s.name};
    } else if (const char* e = std::getenv(s.env_name().c_str())) {
      high[s.name] = {e, s.env_name()};
    }
    if (high.contains(s.name)) overridden.insert(s.name);
  }

  std::string file;
  if (auto f = flags.find("config"); f != flags.end()) file = f->second;
  else if (const char* e = std::getenv("PARLEY_CONFIG")) file = e;
  if (!file.empty()) {
    apply_toml_file(c, file, overridden);
    c.config_file = file;
  }
  for (const auto& s : settings())
    if (auto h = high.find(s.name); h != high.end()) apply(c, s, h->second.first, h->second.second);
  return c;
}

std::string print_config(const Config& c) {
  std::string out = "# effective configuration (flag > PARLEY_* env > config file > default)\n";
  if (!c.config_file.empty()) out += fmt::format("# config file: {}\n", c.config_file);
  for (const auto& s : settings()) {
    std::string v = s.show(c);
    if (s.secret) v = mask_url_password(v);
    out += fmt::format("{} = {}\n", s.toml_key(), v);
  }
  return out;
}

}  // namespace parley
