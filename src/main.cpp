// parley: the command line. Commands: serve, migrate, keys rotate, config print, version.
#include "app/app.hpp"
#include "core/config.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>

namespace {

// Loads the configuration or exits 2 with the message naming the setting, value and allowed.
parley::Config configured(const parley::FlagValues& flags) {
  try {
    return parley::load_config(flags);
  } catch (const parley::ConfigError& e) {
    fmt::print(stderr, "parley: {}\n", e.what());
    std::exit(2);
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Parley: a self-hosted backend for real-time chat and social apps"};
  app.require_subcommand(1);
  parley::FlagValues flags;

  auto* serve = app.add_subcommand("serve", "run the server");
  parley::add_config_options(*serve, flags);

  auto* migrate = app.add_subcommand("migrate", "schema migrations: up [N], down [N], status");
  parley::add_config_options(*migrate, flags);
  std::string action;
  int steps = 0;
  migrate->add_option("action", action, "up, down or status")->required()->check(CLI::IsMember({"up", "down", "status"}));
  migrate->add_option("steps", steps, "how many migrations (up: all pending by default; down: 1)")
      ->check(CLI::Range(1, 1000000));

  auto* config = app.add_subcommand("config", "configuration");
  auto* print = config->add_subcommand("print", "print the effective configuration, secrets masked");
  parley::add_config_options(*print, flags);
  config->require_subcommand(1);

  auto* keys = app.add_subcommand("keys", "access-token signing keys");
  auto* rotate = keys->add_subcommand("rotate", "add a new signing key; older ones stay published until their tokens expire");
  parley::add_config_options(*rotate, flags);
  keys->require_subcommand(1);

  auto* version = app.add_subcommand("version", "version and build info");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  if (serve->parsed()) return parley::app::serve(configured(flags));
  if (migrate->parsed()) return parley::app::migrate(configured(flags), action, steps);
  if (print->parsed()) {
    fmt::print("{}", parley::print_config(configured(flags)));
    return 0;
  }
  if (rotate->parsed()) return parley::app::rotate_keys(configured(flags));
  if (version->parsed()) return parley::app::print_version();
  return 2;
}
