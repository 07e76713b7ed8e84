#pragma once

// `.env` and `env_file` parsing with compose's rules:
// - `#` at the start of a statement is a comment; in an unquoted value, ` #` starts one.
// - `export KEY=value` and `KEY: value` are accepted.
// - Single-quoted values are literal. Double-quoted values take escapes (\n, \t, \\, \",
//   \$, ...) and may span lines. Unquoted and double-quoted values are interpolated,
//   seeing the variables of the environment first, then those defined above in the file.
// - A bare `KEY` takes its value from the environment, and is unset when it is not there.

#include <string>
#include <string_view>

#include "orchestrator/compose/interpolation.hpp"
#include "orchestrator/compose/model.hpp"

namespace stack::orchestrator::compose {

// Parses dotenv text. Throws a Config error naming `file` and the line on bad syntax or
// a missing required variable.
StringMap parseDotenv(std::string_view text, const std::string& file, const LookupFn& lookup);

// Reads and parses a file. Throws an Io error when it cannot be read.
StringMap readDotenvFile(const std::string& path, const LookupFn& lookup);

// Reads a whole regular file of at most 64 MiB; throws an Io error naming the path when
// it cannot (devices and FIFOs are refused, so a hostile path cannot block the loader).
std::string readTextFile(const std::string& path);

}  // namespace stack::orchestrator::compose
