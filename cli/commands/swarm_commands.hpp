#pragma once

// `stack deploy` and the `stack swarm` group share the deploy flags: `stack swarm deploy`
// is `stack deploy` under the group, for those who look for it there.

#include <CLI/CLI.hpp>
#include <functional>

#include "cli/session.hpp"

namespace stack::cli {

void addDeployFlags(CLI::App& deploy, GlobalOptions& globals, std::function<int()>& action);

}  // namespace stack::cli
