#pragma once

// `x-stack-supervise`: stack's opt-in extension that restarts the dependents declaring
// `depends_on: {<dep>: {restart: true}}` when the engine restarts <dep> (a crash under a
// restart policy) or <dep> turns unhealthy, once <dep> is ready again. Pure: what the
// extension says, and the backoff and limit of the restarts (dependent_restarter.hpp acts).
//
//   x-stack-supervise: true                    # top level: every service; or per service
//   x-stack-supervise: {max_restarts: 5, backoff: 1s, max_backoff: 30s, ready_timeout: 60s}
//
// A service's own value wins over the project's; `false` opts a service out.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "orchestrator/compose/model.hpp"

namespace stack::orchestrator::supervisor {

struct SupervisePolicy {
  bool enabled = false;
  int max_restarts = 5;                     // restarts of one dependent, per supervisor run
  std::chrono::milliseconds backoff{1000};  // before the 2nd restart; doubles after each
  std::chrono::milliseconds max_backoff{30000};
  std::chrono::milliseconds ready_timeout{60000};  // for the dependency to be ready again
};

// The policy of one service (the dependent), from its x-stack-supervise or the project's.
// Throws a Config error naming the key when the value is malformed.
SupervisePolicy supervisePolicyOf(const compose::Project& project, const std::string& service);

// The supervised edges of a dependency: dependents with `restart: true` on `dependency`
// whose policy is enabled, sorted.
std::vector<std::string> supervisedDependents(const compose::Project& project,
                                              const std::string& dependency);

// True when at least one supervised edge exists.
bool anySupervised(const compose::Project& project);

// The wait before a dependent's next restart, given the restarts already made; nullopt
// once the limit is reached. The first restart is immediate, then backoff, 2·backoff, ...
// capped at max_backoff.
std::optional<std::chrono::milliseconds> nextRestartDelay(const SupervisePolicy& policy,
                                                          int restarts_made);

}  // namespace stack::orchestrator::supervisor
