#pragma once

// The shape of a subcommand: each cli/commands/<name>.cpp adds itself to the CLI11 app
// and, when chosen, sets `action`, which main() runs after parsing so that every error
// reaches the one place that maps it to an exit code.

#include <CLI/CLI.hpp>
#include <functional>

#include "cli/session.hpp"

namespace stack::cli {

struct CommandSetup {
  CLI::App& app;
  GlobalOptions& globals;
  std::function<int()>& action;
};

void addConfigCommand(CommandSetup setup);
void addUpCommand(CommandSetup setup);
void addDownCommand(CommandSetup setup);
void addLogsCommand(CommandSetup setup);
void addPsCommand(CommandSetup setup);
void addStopCommand(CommandSetup setup);
void addVersionCommand(CommandSetup setup);
// Lifecycle and views: cli/commands/{create,start,restart,pause,kill,rm,ls,events,port,top,
// images}.cpp.
void addCreateCommand(CommandSetup setup);
void addStartCommand(CommandSetup setup);
void addRestartCommand(CommandSetup setup);
void addPauseCommand(CommandSetup setup);
void addUnpauseCommand(CommandSetup setup);
void addKillCommand(CommandSetup setup);
void addRmCommand(CommandSetup setup);
void addLsCommand(CommandSetup setup);
void addEventsCommand(CommandSetup setup);
void addPortCommand(CommandSetup setup);
void addTopCommand(CommandSetup setup);
void addImagesCommand(CommandSetup setup);
void addBuildCommand(CommandSetup setup);
void addPullCommand(CommandSetup setup);
void addPushCommand(CommandSetup setup);
// One-off commands: cli/commands/{exec,run,wait}.cpp.
void addExecCommand(CommandSetup setup);
void addRunCommand(CommandSetup setup);
void addWaitCommand(CommandSetup setup);
// Docker Swarm: cli/commands/{deploy,swarm}.cpp.
void addDeployCommand(CommandSetup setup);
void addSwarmCommand(CommandSetup setup);

}  // namespace stack::cli
