#pragma once

// Renders orchestrator progress for people (live TTY block or plain lines, on stderr, as
// docker compose does) or for programs (JSON lines on stderr).

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "orchestrator/progress/progress.hpp"

namespace stack::cli {

enum class ProgressMode { Auto, Tty, Plain, Quiet, Json };

// Parses --progress / COMPOSE_PROGRESS; throws a Usage error for an unknown mode.
ProgressMode parseProgressMode(const std::string& text);

// Creates the printer for `mode` (Auto picks Tty when stderr is a terminal).
std::unique_ptr<orchestrator::progress::ProgressSink> makeProgressPrinter(ProgressMode mode,
                                                                          bool color = true);

}  // namespace stack::cli
