#pragma once

// The configuration hash of a service: what the planner compares with a container's
// `com.docker.compose.config-hash` label to decide whether to recreate it.
//
// SHA-256 (hex) over "stack-config-hash/v1\n" followed by the service's canonical JSON
// (serviceToJson, sorted keys, no whitespace). Left out, as compose leaves them out:
// build, pull_policy, scale, deploy.replicas, depends_on, profiles. Mixed in, unlike
// compose (docker/compose#11900): the content of the service's env_file files and of the
// secrets and configs it uses (their files, inline `content:` and the value of their
// `environment:` variable), so editing a secret recreates the container. The version prefix changes
// only when this form changes, so upgrading stack does not recreate every container.

#include <string>

#include "orchestrator/compose/model.hpp"

namespace stack::orchestrator::compose {

inline constexpr const char* kConfigHashVersion = "stack-config-hash/v1";

// Throws an Io error when a file that must be hashed cannot be read (a required env_file,
// a secret or config file).
std::string serviceConfigHash(const Project& project, const Service& service);

}  // namespace stack::orchestrator::compose
