#pragma once
// The chat scenarios (`parley-bench chat fanout|sends|idle`), the same code for every peer:
// open and authenticate every connection (members also subscribe), then, once all are ready
// (or --setup-timeout passed), run the load in one window shared by all threads.
#include <expected>
#include <string>

#include "chat_cli.hpp"
#include "chat_report.hpp"

namespace parley::bench {

std::expected<ChatReport, std::string> run_chat(const ChatOptions& options);

}  // namespace parley::bench
