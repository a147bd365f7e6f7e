#include "run_command.hpp"
#include "test_backend.hpp"

#include <signal.h>

#include <fstream>

#include "temp_dir.hpp"

namespace parley::it {

CommandResult run_command(const std::vector<std::string>& argv, const CommandOptions& options) {
  TempDir io("parley-cmd");
  SpawnSpec spec;
  spec.argv = argv;
  spec.env = options.env;
  spec.stdout_path = io.path() / "stdout";
  spec.stderr_path = io.path() / "stderr";
  if (!options.stdin_text.empty()) {
    spec.stdin_path = io.path() / "stdin";
    std::ofstream(spec.stdin_path, std::ios::binary) << options.stdin_text;
  }
  pid_t pid = spawn_child(spec);
  CommandResult result;
  if (auto code = wait_child(pid, options.timeout)) {
    result.exit_code = *code;
  } else {
    result.timed_out = true;
    ::kill(pid, SIGKILL);
    wait_child(pid, std::chrono::seconds(5));
  }
  result.out = read_file(spec.stdout_path);
  result.err = read_file(spec.stderr_path);
  return result;
}

CommandResult run_parley(const std::vector<std::string>& args, const CommandOptions& options) {
  std::vector<std::string> argv{parley_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  CommandOptions with_backend = options;
  add_backend_env(args, with_backend.env);  // the PostgreSQL run: the folder's own database
  return run_command(argv, with_backend);
}

}  // namespace parley::it
