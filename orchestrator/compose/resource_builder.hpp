#pragma once

// Top-level networks, volumes, secrets and configs: from canonical trees to the model.
// Engine names (`name`) are filled in later, once the project name is known.

#include <string>

#include "orchestrator/compose/model.hpp"
#include "orchestrator/compose/yaml_tree.hpp"

namespace stack::orchestrator::compose {

NetworkConfig buildNetwork(const yaml::Node& node, const std::string& path);
VolumeConfig buildVolume(const yaml::Node& node, const std::string& path);
// `secret` selects the key set of a secret (no `content`) or of a config.
FileObjectConfig buildFileObject(const yaml::Node& node, const std::string& path, bool secret);

}  // namespace stack::orchestrator::compose
