#pragma once

// Internal to stack_orchestrator: the one running container a command acts on, chosen as
// docker compose's getSpecifiedContainer chooses it (exec, attach, export, commit).

#include <boost/asio/awaitable.hpp>
#include <string>

#include "runtime/engine.hpp"

namespace stack::orchestrator {

// The running container of `service` with container-number `index` (any when 0): the
// lowest number, the service's own containers before one-off ones. Throws NotFound
// ("service \"web\" is not running", "... container #2") naming how to start it.
boost::asio::awaitable<runtime::ContainerSummary> runningContainer(runtime::Engine& engine,
                                                                   const std::string& project,
                                                                   const std::string& service,
                                                                   int index);

}  // namespace stack::orchestrator
