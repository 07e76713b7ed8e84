#pragma once

// Gathers what the engine has for a project: one list call per object kind, all in flight
// at once. This is the whole cost of a no-op `up` besides loading the file.

#include <boost/asio/awaitable.hpp>
#include <string>

#include "orchestrator/compose/model.hpp"
#include "orchestrator/planner/planner.hpp"
#include "runtime/engine.hpp"

namespace stack::orchestrator {

struct ObserveOptions {
  bool images = true;  // also resolve the local image id of every service image
};

// `project` may be null (commands that work from labels alone): then the networks and
// volumes kept are those labelled with the project.
boost::asio::awaitable<planner::ObservedState> observeProject(runtime::Engine& engine,
                                                              const std::string& project_name,
                                                              const compose::Project* project,
                                                              ObserveOptions options = {});

// Files `networks` into observed.networks by name; when several share a name, the one most
// of observed.containers are attached to (then the lowest id) is kept there and the others
// go to observed.duplicate_networks.
void keepNetworks(planner::ObservedState& observed, std::vector<runtime::NetworkDetails> networks);

}  // namespace stack::orchestrator
