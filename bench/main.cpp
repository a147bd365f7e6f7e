// parley-bench: load generator for Parley. Subcommands: http, ws, wait-ready (see cli.cpp),
// chat, chat-setup (see chat_cli.cpp).
#include <fmt/core.h>

#include <csignal>

#include "chat_cli.hpp"
#include "chat_driver.hpp"
#include "chat_setup.hpp"
#include "cli.hpp"
#include "http_driver.hpp"
#include "report.hpp"
#include "wait_ready.hpp"
#include "ws_driver.hpp"

namespace {

int finish(const std::expected<parley::bench::Report, std::string>& report, const std::string& json_path) {
  if (!report) {
    fmt::print(stderr, "parley-bench: {}\n", report.error());
    return 1;
  }
  parley::bench::print_report(*report);
  if (!json_path.empty() && !parley::bench::write_json_report(*report, json_path)) return 1;
  return 0;
}

int bad_usage(const std::string& message) {
  fmt::print(stderr, "parley-bench: {}\n(see parley-bench --help)\n", message);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    fmt::print("{}{}", parley::bench::usage(), parley::bench::chat_usage());
    return args.empty() ? 2 : 0;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  if (command == "http") {
    auto opts = parley::bench::parse_http_options(args);
    if (!opts) return bad_usage(opts.error());
    return finish(parley::bench::run_http(*opts), opts->common.json_path);
  }
  if (command == "ws") {
    auto opts = parley::bench::parse_ws_options(args);
    if (!opts) return bad_usage(opts.error());
    return finish(parley::bench::run_ws(*opts), opts->common.json_path);
  }
  if (command == "wait-ready") {
    auto opts = parley::bench::parse_wait_ready_options(args);
    if (!opts) return bad_usage(opts.error());
    return parley::bench::run_wait_ready(*opts);
  }
  if (command == "chat") {
    auto opts = parley::bench::parse_chat_options(args);
    if (!opts) return bad_usage(opts.error());
    auto report = parley::bench::run_chat(*opts);
    if (!report) {
      fmt::print(stderr, "parley-bench: {}\n", report.error());
      return 1;
    }
    parley::bench::print_chat_report(*report);
    if (!opts->common.json_path.empty() && !parley::bench::write_chat_json(*report, opts->common.json_path)) return 1;
    return 0;
  }
  if (command == "chat-setup") {
    auto opts = parley::bench::parse_chat_setup_options(args);
    if (!opts) return bad_usage(opts.error());
    return parley::bench::run_chat_setup(*opts);
  }
  return bad_usage("unknown command '" + command + "' (http, ws, wait-ready, chat, chat-setup)");
}
