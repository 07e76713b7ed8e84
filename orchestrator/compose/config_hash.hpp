#pragma once

#include <string>

#include "orchestrator/compose/model.hpp"

namespace stack::compose {

// SHA-256 (hex) over a canonical, versioned form of the service, leaving out what does
// not change the container (build, pull_policy, scale, deploy.replicas, depends_on,
// profiles) and mixing in the content of its env_file, configs and secrets files.
std::string serviceConfigHash(const Project& project, const Service& service);

}  // namespace stack::compose
