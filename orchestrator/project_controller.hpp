#pragma once

// The orchestrator's public API: what `stack up`, `down`, `ps`, ... do, as coroutines on
// the caller's io_context. The CLI is a thin shell over this class, and the C++ fixture
// API uses it directly. Every mutating call observes the engine, plans, prints or runs the
// plan, and returns it.

#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "orchestrator/compose/model.hpp"
#include "orchestrator/executor/plan_executor.hpp"
#include "orchestrator/planner/planner.hpp"
#include "orchestrator/progress.hpp"
#include "runtime/engine.hpp"

namespace stack::orchestrator {

template <class T>
using Awaitable = boost::asio::awaitable<T>;

struct ControllerOptions {
  size_t parallel_limit = 64;  // --parallel, COMPOSE_PARALLEL_LIMIT
  bool dry_run = false;        // plan, report, change nothing
  std::chrono::milliseconds probe_cadence{200};  // how often stack probes readiness
};

class ProjectController {
 public:
  ProjectController(runtime::Engine& engine, ProgressSink& progress,
                    ControllerOptions options = {});

  // Converges the project's containers, networks and volumes (see planUp).
  Awaitable<Plan> up(const compose::Project& project, const UpOptions& options);

  // Removes the project's containers and networks; volumes with -v. `project` may be null.
  Awaitable<Plan> down(const std::string& project_name, const compose::Project* project,
                       const DownOptions& options);

  // Stops running containers of the given services (all when empty), dependents first.
  Awaitable<Plan> stop(const std::string& project_name, const std::set<std::string>& services,
                       std::optional<int> timeout_seconds);

  // The project's containers from one list call. `all` includes stopped ones.
  Awaitable<std::vector<runtime::ContainerSummary>> ps(const std::string& project_name, bool all);

 private:
  // Runs the plan; dependency gates are decided by `waiter`.
  Awaitable<void> execute(const PlanResult& planned, DependencyWaiter& waiter);
  // After a plan that created networks: removes unused duplicates of them.
  Awaitable<void> settleNetworks(const std::string& project_name, const Plan& plan);

  runtime::Engine& engine_;
  ProgressSink& progress_;
  ControllerOptions options_;
};

// The config hash of every service (reads env_file, configs and secrets content).
DesiredState desiredState(const compose::Project& project);

}  // namespace stack::orchestrator
