#pragma once
// The `ws` scenario: many WebSocket connections opened in batches, each sending frames at a
// fixed rate (latency from the scheduled send time to the matching reply), or holding idle.
// Framing lives in ws_protocol, so the driver stays the same for other framings.
#include "cli.hpp"
#include "report.hpp"

namespace parley::bench {

std::expected<Report, std::string> run_ws(const WsOptions& options);

}  // namespace parley::bench
