#pragma once

// Named loggers for diagnostics. Logging is for developers and bug reports; what a person
// watching `stack up` sees goes through the progress writer, not through these loggers.
//
// Loggers: "runtime", "docker", "planner", "supervisor", "loader", "cli", "network".
// All write to stderr. The default level is `warn`; `--log-level` or STACK_LOG_LEVEL
// changes it for every logger at once.

#include <spdlog/spdlog.h>

#include <memory>
#include <string_view>

namespace stack::log {

// Returns the named logger, creating it on first use with the current level and sink.
std::shared_ptr<spdlog::logger> get(std::string_view name);

// Sets the level of every existing and future logger ("trace".."off"). Returns false on an
// unknown level name.
bool setLevel(std::string_view level);

}  // namespace stack::log
