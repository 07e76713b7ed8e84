#pragma once

// The one place where errors become exit codes. They follow docker compose v2, which
// exits 1 for every failure of its own (a missing or invalid file, a usage error, a failed
// build or pull, an unknown service), 130 when interrupted, and passes a container's exit
// code through for `run`, `exec`, `wait`, and `up --abort-on-container-exit` /
// `--abort-on-container-failure` / `--exit-code-from`. The table for users is
// docs/EXIT_CODES.md; the codes stack used before (14-18) are gone.
//   0    success; also `stack` with no arguments (it prints the help)
//   1    any failure of stack itself, whatever its ErrorKind
//   130  interrupted (Ctrl-C, SIGTERM)
//   N    the container's own exit code, where compose passes it through (the command
//        returns it; it never goes through exitCodeFor)

#include "core/error.hpp"

namespace stack::cli {

inline constexpr int kExitSuccess = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitInterrupted = 130;

int exitCodeFor(const Error& error);

}  // namespace stack::cli
