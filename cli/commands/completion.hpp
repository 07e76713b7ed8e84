#pragma once

// `stack completion bash|zsh|man` (cli/commands/completion.cpp). Registered last by main(),
// so that the scripts and the man page it generates see every other command.

#include "cli/command.hpp"

namespace stack::cli {

void addCompletionCommand(CommandSetup setup);

}  // namespace stack::cli
