#pragma once

// What a compose service asks of the engine: the pure mapping from a resolved service and
// a replica number to a container create request (Engine API 1.41) and the networks to
// connect before start. No engine calls happen here.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "orchestrator/compose/model.hpp"
#include "runtime/engine_types.hpp"

namespace stack::orchestrator::planner {

struct ContainerIdentity {
  std::string name;         // the final container name
  int number = 1;           // com.docker.compose.container-number
  std::string config_hash;  // com.docker.compose.config-hash
  std::string image_id;     // com.docker.compose.image; empty when unknown
  bool oneoff = false;
  // Anonymous volumes of the container being replaced, by mount target, so a recreate
  // keeps their data (compose does the same).
  std::map<std::string, std::string> inherited_volumes;
};

// A network connection made after create and before start (API 1.41 accepts one network
// in the create request).
struct NetworkConnection {
  std::string network;  // engine name
  runtime::EndpointSettings endpoint;
};

struct ContainerSpec {
  runtime::ContainerCreateRequest create;
  std::vector<NetworkConnection> extra_networks;
  // Secrets and configs with `environment:` or `content:`: copied in before start.
  std::vector<runtime::ContainerFile> files;
};

// The service's networks in attachment order: priority (highest first), then name.
// Empty when network_mode is set.
std::vector<std::string> serviceNetworkKeys(const compose::Service& service);

// The container name for replica `number`: container_name when set, else
// `<project>-<service>-<number>`.
std::string serviceContainerName(const compose::Project& project, const compose::Service& service,
                                 int number);

// The secrets and configs of the service that are copied into its containers (those with
// `environment:` or `content:`), at their targets. Throws a Config error naming the key
// for an unset variable, a non-numeric uid or gid, or a read_only service.
std::vector<runtime::ContainerFile> serviceFiles(const compose::Project& project,
                                                 const compose::Service& service);

// Read-only binds of the file-backed secrets and configs of the service (service_files.cpp).
void addFileMounts(runtime::HostConfig& host, const compose::Project& project,
                   const compose::Service& service);

// Builds the full create request for one replica.
ContainerSpec containerSpec(const compose::Project& project, const compose::Service& service,
                            const ContainerIdentity& identity);

}  // namespace stack::orchestrator::planner
