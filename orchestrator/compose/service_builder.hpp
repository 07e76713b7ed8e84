#pragma once

// From a merged, canonical service tree to the typed model. Every key of the compose
// specification that stack knows is handled by exactly one entry of a key table; an
// unknown key is an error that suggests the closest known one.

#include <span>
#include <string>
#include <string_view>

#include "orchestrator/compose/model.hpp"
#include "orchestrator/compose/yaml_tree.hpp"

namespace stack::orchestrator::compose {

Service buildService(const std::string& name, const yaml::Node& node);

namespace service_keys {

using Handler = void (*)(Service&, const yaml::Node&, const std::string& path);
struct KeyHandler {
  std::string_view key;
  Handler handler;
};

// The key tables, split by family.
std::span<const KeyHandler> processKeys();    // command, environment, user, restart, ...
std::span<const KeyHandler> resourceKeys();   // cpus, mem_limit, ulimits, devices, ...
std::span<const KeyHandler> networkKeys();    // ports, networks, dns, extra_hosts, ...
std::span<const KeyHandler> storageKeys();    // volumes, tmpfs, secrets, configs, ...
std::span<const KeyHandler> lifecycleKeys();  // build, healthcheck, deploy, logging, ...

}  // namespace service_keys
}  // namespace stack::orchestrator::compose
