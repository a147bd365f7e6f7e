#pragma once
// The `http` scenario: keep-alive HTTP/1.1 connections spread over threads, closed loop (send
// on answer) or open loop (--rate: fixed schedule, latency from the scheduled send time).
#include "cli.hpp"
#include "report.hpp"

namespace parley::bench {

// Runs the scenario; returns the report, or an error message when it cannot start.
std::expected<Report, std::string> run_http(const HttpOptions& options);

}  // namespace parley::bench
