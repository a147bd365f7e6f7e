#pragma once
// The store a one-shot command (`parley keys rotate`, `parley migrate-data`) works on: the
// configured database, opened without creating it and without the data-folder lock (a running
// server may share it), its schema required to be up to date.
#include <memory>

#include "core/config.hpp"
#include "core/metrics.hpp"
#include "store/database.hpp"

namespace parley::app {

// Throws std::runtime_error saying what to do when there is no database yet or its schema lags.
std::unique_ptr<store::Database> open_command_store(const Config& config, metrics::Registry& registry);

}  // namespace parley::app
