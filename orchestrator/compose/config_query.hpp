#pragma once

// The listing flags of `stack config`: --services, --volumes, --networks, --images,
// --profiles and --hash. Each returns the lines compose prints, in compose's order.

#include <string>
#include <vector>

#include "orchestrator/compose/model.hpp"

namespace stack::orchestrator::compose {

enum class ConfigListing { Services, Volumes, Networks, Images, Profiles };

// --services: enabled services in dependency order (dependencies first, ties by name).
// --volumes, --networks: the top-level keys, sorted. --images: one line per enabled
// service, its image or, for a build without one, "<project>-<service>" as compose names
// built images. --profiles: every profile named by any service (enabled or not), sorted.
std::vector<std::string> listConfig(const Project& project, ConfigListing what);

// --hash SVC (several, comma-separated) or '*': "service hash" lines for the named
// services, sorted by name. Throws a Config error for a service that does not exist.
std::vector<std::string> configHashes(const Project& project, const std::string& selection);

}  // namespace stack::orchestrator::compose
