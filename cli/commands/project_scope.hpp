#pragma once

// What the lifecycle commands share: which project they act on, and asking before a
// destructive step.

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/session.hpp"
#include "orchestrator/compose/model.hpp"
#include "orchestrator/planner/planner.hpp"

namespace stack::cli {

// The project a command acts on. Like `down`, a command loads the compose file when one is
// found (so the model's services and dependencies count) and otherwise works from the
// containers' labels alone: then `project` is empty and the controller rebuilds it.
struct ProjectScope {
  std::string name;
  std::optional<orchestrator::compose::Project> project;

  const orchestrator::compose::Project* model() const { return project ? &*project : nullptr; }
};

// `services` named on the command line enable their profiles.
ProjectScope resolveScope(Session& session, const std::vector<std::string>& services);

// The warning a ProjectLock prints while another stack command holds the project.
std::function<void()> lockWaitWarning(Session& session, const std::string& project);

// --scale SERVICE=NUM entries (up, create); each must name a service of the project.
std::map<std::string, int> parseScale(const std::vector<std::string>& entries,
                                      const orchestrator::compose::Project& project);

// Converges `project` to `options` under the project lock (warning while another stack
// command holds it): the detached path shared by up, create and scale.
int runUpLocked(Session& session, const orchestrator::compose::Project& project,
                const orchestrator::planner::UpOptions& options);

// True when standard input is a terminal a person can answer on.
bool stdinIsTerminal();

// Prints `question` on stdout and reads one line from stdin without blocking the event
// loop, so Ctrl-C still cancels. True for "y" or "yes" in any case; false for anything
// else, including the end of input.
boost::asio::awaitable<bool> askYesNo(const std::string& question);

}  // namespace stack::cli
