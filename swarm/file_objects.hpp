#pragma once

// The data of a stack's secrets and configs, read on the deploying machine as docker
// stack deploy reads it: from `file` (read whole), from the deploying shell's
// `environment` variable, or the `content` written in the file. External objects and
// objects with a `driver` have no data here; objects no service uses are not read.

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "orchestrator/compose/model.hpp"
#include "swarm/swarm_names.hpp"

namespace stack::swarm {

struct FileObjectData {
  std::map<std::string, std::string> secrets;  // by compose key
  std::map<std::string, std::string> configs;
};

using EnvironmentLookup = std::function<std::optional<std::string>(const std::string&)>;

// Throws stack::Error (kind Config) naming `secrets.<key>.file` (or `.environment`) when a
// file cannot be read or a variable is unset.
FileObjectData readFileObjects(const compose::Project& project,
                               const EnvironmentLookup& environment);

// The process environment, as the lookup readFileObjects and the converter take.
std::optional<std::string> processEnvironment(const std::string& name);

}  // namespace stack::swarm
