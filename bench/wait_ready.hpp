#pragma once
// The `wait-ready` helper: spawns a command, polls an HTTP URL until it answers 200, prints the
// milliseconds from spawn to that answer, then stops the command (SIGTERM, SIGKILL if needed).
#include "cli.hpp"

namespace parley::bench {

// Returns the process exit code: 0 ready, 1 not ready in time or the command died.
int run_wait_ready(const WaitReadyOptions& options);

}  // namespace parley::bench
