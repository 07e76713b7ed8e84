#pragma once

// `stack volumes`: the volumes of a project, as docker compose's Volumes() finds them.

#include <boost/asio/awaitable.hpp>
#include <set>
#include <string>
#include <vector>

#include "runtime/engine.hpp"

namespace stack::orchestrator {

// The project's volumes (one list call, by the project label); with `services`, only those
// that the services' running containers mount. Two list calls, no inspects.
boost::asio::awaitable<std::vector<runtime::VolumeDetails>> projectVolumes(
    runtime::Engine& engine, const std::string& project_name,
    const std::set<std::string>& services);

}  // namespace stack::orchestrator
