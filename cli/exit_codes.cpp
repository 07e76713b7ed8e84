#include "cli/exit_codes.hpp"

namespace stack::cli {

int exitCodeFor(const Error& error) {
  switch (error.kind()) {
    case ErrorKind::ConfigMissing:
      return 14;
    case ErrorKind::Config:
      return 15;
    case ErrorKind::Usage:
      return 16;
    case ErrorKind::Build:
      return 17;
    case ErrorKind::Pull:
      return 18;
    case ErrorKind::Cancelled:
      return kExitInterrupted;
    default:
      return 1;
  }
}

}  // namespace stack::cli
