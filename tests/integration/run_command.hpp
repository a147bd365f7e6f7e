#pragma once
// One-shot commands (`parley version`, `parley config print`, `parley migrate …`, promtool):
// run to completion with a deadline, capture exit code, stdout and stderr.
#include <chrono>
#include <string>
#include <vector>

#include "child_process.hpp"

namespace parley::it {

struct CommandResult {
  int exit_code = -1;     // 128 + signal if a signal ended it; -1 if it had to be killed
  bool timed_out = false;
  std::string out;
  std::string err;
};

struct CommandOptions {
  Env env;
  std::string stdin_text;
  std::chrono::milliseconds timeout{20000};
};

CommandResult run_command(const std::vector<std::string>& argv, const CommandOptions& options = {});

// run_command with the parley binary as argv[0].
CommandResult run_parley(const std::vector<std::string>& args, const CommandOptions& options = {});

}  // namespace parley::it
