#pragma once

// Commands added after command.hpp's list (kept apart so that adding one rebuilds only
// main.cpp): cli/commands/{scale,volumes,cp,attach,graph,timings}.cpp.

#include "cli/command.hpp"

namespace stack::cli {

void addScaleCommand(CommandSetup setup);
void addVolumesCommand(CommandSetup setup);
void addCpCommand(CommandSetup setup);
void addAttachCommand(CommandSetup setup);
void addGraphCommand(CommandSetup setup);
void addTimingsCommand(CommandSetup setup);

}  // namespace stack::cli
