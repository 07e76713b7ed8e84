#include "cli/exit_codes.hpp"

namespace stack::cli {

int exitCodeFor(const Error& error) {
  // docker compose v2 gives every failure of its own exit code 1: its flag error function
  // and its unknown-command path return StatusError{1}, and only cancellation is mapped
  // (to 130). The kinds stay distinct for messages and `--progress json`.
  switch (error.kind()) {
    case ErrorKind::Cancelled:
      return kExitInterrupted;
    case ErrorKind::Usage:
    case ErrorKind::Config:
    case ErrorKind::ConfigMissing:
    case ErrorKind::Build:
    case ErrorKind::Pull:
    case ErrorKind::NotFound:
    case ErrorKind::Conflict:
    case ErrorKind::EngineUnavailable:
    case ErrorKind::Engine:
    case ErrorKind::Dependency:
    case ErrorKind::Timeout:
    case ErrorKind::Io:
    case ErrorKind::Internal:
      break;
  }
  return kExitFailure;
}

}  // namespace stack::cli
