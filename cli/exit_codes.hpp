#pragma once

// The one place where errors become exit codes. They follow docker compose v2:
//   0    success
//   1    any other failure
//   14   no compose file found
//   15   the compose file is invalid
//   16   bad command line
//   17   an image build failed
//   18   an image pull failed
//   130  interrupted (Ctrl-C)

#include "core/error.hpp"

namespace stack::cli {

inline constexpr int kExitInterrupted = 130;

int exitCodeFor(const Error& error);

}  // namespace stack::cli
