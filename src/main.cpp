// parley: the command line. Commands: serve, migrate, migrate-data, keys rotate, user …, config print, version.
#include "app/app.hpp"
#include "app/migrate_data.hpp"
#include "app/user_commands.hpp"
#include "core/config.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>

#include <sys/stat.h>

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
  // What parley writes (the database, its WAL, mail in the outbox, keys, backups) is for the
  // server's user alone: folders 0700, files 0600.
  ::umask(077);
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

  auto* migrate_data = app.add_subcommand(
      "migrate-data", "copy the embedded deployment of --data into an empty database and verify the copy");
  parley::add_config_options(*migrate_data, flags);
  std::string migrate_to;
  migrate_data->add_option("--to", migrate_to, "the target: postgres://… or sqlite:/path/folder (or a folder path)")
      ->required();

  auto* config = app.add_subcommand("config", "configuration");
  auto* print = config->add_subcommand("print", "print the effective configuration, secrets masked");
  parley::add_config_options(*print, flags);
  config->require_subcommand(1);

  auto* keys = app.add_subcommand("keys", "access-token signing keys");
  auto* rotate = keys->add_subcommand("rotate", "add a new signing key; older ones stay published until their tokens expire");
  parley::add_config_options(*rotate, flags);
  bool revoke_previous = false;
  rotate->add_flag("--revoke-previous", revoke_previous,
                   "after a leak: delete every older key at once, so that the tokens they signed stop working "
                   "(a running server stops accepting them within about a second)");
  keys->require_subcommand(1);

  // parley user create|list|set-role|ban|unban|delete (safe against a running server's data folder)
  auto* user = app.add_subcommand("user", "account administration");
  user->require_subcommand(1);
  parley::app::UserCreateArgs create_args;
  bool create_admin = false;
  std::string user_ref, user_role;
  int list_limit = 50;
  auto* user_create = user->add_subcommand("create", "create an account (--admin makes an administrator)");
  parley::add_config_options(*user_create, flags);
  user_create->add_option("--email", create_args.email, "email address")->required();
  user_create->add_option("--username", create_args.username, "username")->required();
  user_create->add_flag("--password-stdin", create_args.password_stdin,
                        "read the password from standard input (else one is generated and printed)");
  auto* admin_flag = user_create->add_flag("--admin", create_admin, "same as --role admin");
  user_create->add_option("--role", create_args.role, "user, moderator or admin")
      ->check(CLI::IsMember({"user", "moderator", "admin"}))
      ->excludes(admin_flag);
  auto* user_list = user->add_subcommand("list", "list accounts");
  parley::add_config_options(*user_list, flags);
  user_list->add_option("--limit", list_limit, "at most this many (default 50)")->check(CLI::Range(1, 1000000));
  auto* user_set_role = user->add_subcommand("set-role", "change an account's role");
  parley::add_config_options(*user_set_role, flags);
  user_set_role->add_option("user", user_ref, "id, username or email")->required();
  user_set_role->add_option("role", user_role, "user, moderator or admin")
      ->required()
      ->check(CLI::IsMember({"user", "moderator", "admin"}));
  auto* user_ban = user->add_subcommand("ban", "suspend an account and revoke its sessions");
  parley::add_config_options(*user_ban, flags);
  user_ban->add_option("user", user_ref, "id, username or email")->required();
  auto* user_unban = user->add_subcommand("unban", "lift a suspension");
  parley::add_config_options(*user_unban, flags);
  user_unban->add_option("user", user_ref, "id, username or email")->required();
  auto* user_delete = user->add_subcommand("delete", "erase an account's personal data and revoke its sessions");
  parley::add_config_options(*user_delete, flags);
  user_delete->add_option("user", user_ref, "id, username or email")->required();

  auto* version = app.add_subcommand("version", "version and build info");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  if (serve->parsed()) return parley::app::serve(configured(flags));
  if (migrate->parsed()) return parley::app::migrate(configured(flags), action, steps);
  if (migrate_data->parsed()) return parley::app::migrate_data(configured(flags), migrate_to);
  if (print->parsed()) {
    fmt::print("{}", parley::print_config(configured(flags)));
    return 0;
  }
  if (rotate->parsed()) return parley::app::rotate_keys(configured(flags), revoke_previous);
  if (user_create->parsed()) {
    if (create_admin) create_args.role = "admin";
    return parley::app::user_create(configured(flags), create_args);
  }
  if (user_list->parsed()) return parley::app::user_list(configured(flags), list_limit);
  if (user_set_role->parsed()) return parley::app::user_set_role(configured(flags), user_ref, user_role);
  if (user_ban->parsed()) return parley::app::user_ban(configured(flags), user_ref, true);
  if (user_unban->parsed()) return parley::app::user_ban(configured(flags), user_ref, false);
  if (user_delete->parsed()) return parley::app::user_delete(configured(flags), user_ref);
  if (version->parsed()) return parley::app::print_version();
  return 2;
}
