#pragma once

// Planning the lifecycle commands (start, restart, pause, unpause, kill, rm): pure functions
// from a project and the observed containers to a Plan, like planUp and planDown.
//
// `project` is the loaded compose project, or, when there is no compose file, the one
// projectFromLabels() rebuilds from the containers, as docker compose does. Either way the
// dependency order comes from it. Named services that the project does not define are a
// Usage error ("no such service: x"). Starts and restarts go dependencies first, each
// service after an AwaitDependency gate on the depends_on conditions of its dependencies;
// kills and stops go dependents first.

#include <chrono>
#include <optional>
#include <set>
#include <string>

#include "orchestrator/compose/model.hpp"
#include "orchestrator/planner/planner.hpp"

namespace stack::orchestrator::planner {

struct StartOptions {
  std::set<std::string> services;  // empty: every service; named ones bring their dependencies
  // Not used by the planner: after the plan, wait until the services are ready (--wait).
  bool wait = false;
  std::optional<std::chrono::milliseconds> wait_timeout;
};

struct RestartOptions {
  // Empty: every service. Named ones bring the services that depend on them with
  // `restart: true`, transitively, unless `no_deps`.
  std::set<std::string> services;
  bool no_deps = false;
  std::optional<int> timeout_seconds;  // -t
};

struct KillOptions {
  std::set<std::string> services;  // empty: every service
  std::string signal = "SIGKILL";
  // Also kill the containers of services the project does not define. As with docker
  // compose, this kills them and does not remove them.
  bool remove_orphans = false;
};

struct RemoveContainersOptions {
  std::set<std::string> services;  // empty: every service
  bool stop = false;               // -s: stop running containers first (dependents first)
  bool volumes = false;            // -v: also their anonymous volumes
};

// The project as far as container labels tell (docker compose's projectFromName): one
// service per com.docker.compose.service label of a non-one-off container, with the
// depends_on entries of com.docker.compose.depends_on ("svc:condition:restart,..."; a
// bare "svc" means service_started with restart). Dependencies on services that have no
// container are dropped. Nothing else of the model is known.
compose::Project projectFromLabels(const std::string& name, const ObservedState& observed);

// Starts the created or exited containers of the services. Throws NotFound when a named
// service, or the whole selection, has no container to start. Paused containers are left
// alone with a warning.
PlanResult planStart(const compose::Project& project, const ObservedState& observed,
                     const StartOptions& options);

// Restarts every container (running or not) of the services, dependencies first. Only
// `restart: true` dependencies order the restarts, as in docker compose.
PlanResult planRestart(const compose::Project& project, const ObservedState& observed,
                       const RestartOptions& options);

// Pauses the running containers of the services; already paused ones are skipped.
PlanResult planPause(const compose::Project& project, const ObservedState& observed,
                     const std::set<std::string>& services);

// Unpauses the paused containers of the services; others are skipped.
PlanResult planUnpause(const compose::Project& project, const ObservedState& observed,
                       const std::set<std::string>& services);

// Sends the signal to the running (or paused, or restarting) containers of the services,
// one-off containers included, dependents first.
PlanResult planKill(const compose::Project& project, const ObservedState& observed,
                    const KillOptions& options);

// Removes the stopped non-one-off containers of the services. With `stop`, running ones
// are stopped first (dependents first) and removed too; without it they are left alone.
PlanResult planRemove(const compose::Project& project, const ObservedState& observed,
                      const RemoveContainersOptions& options);

}  // namespace stack::orchestrator::planner
