#pragma once

// Reading what the swarm holds for a stack: its services, networks, secrets and configs
// (one list call each, by the namespace label, in parallel), and the external objects
// the desired state names.

#include <boost/asio/awaitable.hpp>

#include "runtime/engine.hpp"
#include "runtime/swarm_engine.hpp"
#include "swarm/deploy_plan.hpp"

namespace stack::swarm {

boost::asio::awaitable<ObservedStack> observeStack(runtime::Engine& engine,
                                                   runtime::SwarmEngine& swarm,
                                                   const StackSpec& desired);

// Fails with a clear error (kind Engine) unless the engine is a swarm manager. Returns
// the swarm as the manager sees it (the node count decides whether images are pushed).
boost::asio::awaitable<runtime::SwarmInfo> requireManager(runtime::SwarmEngine& swarm);

}  // namespace stack::swarm
