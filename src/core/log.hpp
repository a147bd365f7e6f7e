#pragma once
// Structured JSON-lines logging on top of spdlog. One line per event:
// {"ts":"2026-11-22T10:00:00.123Z","level":"info","msg":"request",...fields}
// Never pass secrets (tokens, passwords, Authorization headers) as fields.
#include <boost/json/object.hpp>
#include <string_view>

namespace parley::log {

enum class Level { debug, info, warn, error, off };

// Parses "debug" | "info" | "warn" | "error" | "off".
bool parse_level(std::string_view text, Level& out);

// Installs the process-wide JSON logger (asynchronous, written to stdout).
void init(Level level);
void set_level(Level level);
bool enabled(Level level);
void flush();

void write(Level level, std::string_view msg, boost::json::object fields = {});
inline void debug(std::string_view msg, boost::json::object f = {}) { write(Level::debug, msg, std::move(f)); }
inline void info(std::string_view msg, boost::json::object f = {}) { write(Level::info, msg, std::move(f)); }
inline void warn(std::string_view msg, boost::json::object f = {}) { write(Level::warn, msg, std::move(f)); }
inline void error(std::string_view msg, boost::json::object f = {}) { write(Level::error, msg, std::move(f)); }

}  // namespace parley::log
