#pragma once

// Runs a deploy plan's steps in order (networks, secrets and configs first, then the
// services, in parallel up to a limit, then removals), each one API write, reporting each
// through the progress
// sink. A failed write stops the deploy with the engine's error naming the object; what
// was written stays, and the next deploy converges from there. A stale secret or config
// version that cannot be removed (a service outside the file still uses it) is a warning.

#include <boost/asio/awaitable.hpp>
#include <map>
#include <string>

#include "orchestrator/progress/progress.hpp"
#include "runtime/engine.hpp"
#include "runtime/swarm_engine.hpp"
#include "swarm/deploy_plan.hpp"
#include "swarm/swarm_names.hpp"

namespace stack::swarm {

struct ExecuteOptions {
  // --with-registry-auth: send the deploying user's credentials for each service's image
  // registry, so that nodes can pull from a private registry.
  bool with_registry_auth = false;
  // Service creates and updates in flight at once (--parallel); 0: no limit.
  size_t parallel_limit = 64;
};

// Returns service name -> id for every desired service (created, updated or unchanged).
boost::asio::awaitable<std::map<std::string, std::string>> executePlan(
    runtime::Engine& engine, runtime::SwarmEngine& swarm, progress::ProgressSink& progress,
    const DeployPlan& plan, const ObservedStack& observed, const ExecuteOptions& options);

}  // namespace stack::swarm
