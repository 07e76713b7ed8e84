#pragma once

// The converter: a pure function from a resolved compose project to the stack's Swarm
// objects, following docker stack deploy (docker/cli cli/compose/convert) where it has a
// rule, and doing better where docker drops keys silently: every key Swarm does not
// honour as compose does becomes a Finding (converted, ignored or done by stack first).
//
// Differences from docker stack deploy, on purpose:
// - compose-spec input (long depends_on, secrets from `environment:` and `content:`).
// - `restart: no` becomes restart condition `none` (docker leaves Swarm's default, `any`).
// - Service-level resource keys (mem_limit, cpus, pids_limit, mem_reservation) fill
//   deploy.resources when it leaves them unset (docker rejects them).
// - The service `tmpfs` key becomes tmpfs mounts, dns_opt becomes DNSConfig.Options,
//   group_add becomes ContainerSpec.Groups (docker drops them).
// - Networks with `driver: bridge` become overlay networks (a bridge network cannot
//   carry a Swarm service); only secrets and configs some service uses are created.
//
// Throws stack::Error (kind Config) naming `services.<name>.<key>` for what no Swarm
// service can express and docker rejects too (replicas with a global mode, an ingress
// port on a dnsrr service, an unknown mode or update order).

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "orchestrator/compose/model.hpp"
#include "swarm/stack_spec.hpp"
#include "swarm/swarm_names.hpp"

namespace stack::swarm {

struct ConvertInputs {
  // Service key -> the image reference its tasks run (pinned to a digest or an image id
  // by the deployer). A service missing here runs its image as written.
  std::map<std::string, std::string> images;
  // The data of the stack's secrets and configs, by compose key (see file_objects.hpp).
  std::map<std::string, std::string> secret_data;
  std::map<std::string, std::string> config_data;
  // Values for `environment` entries written without one (`- FOO`), which compose takes
  // from the deploying shell. Unset: such entries are left out.
  std::function<std::optional<std::string>(const std::string&)> environment;
};

StackSpec convert(const compose::Project& project, const ConvertInputs& inputs);

}  // namespace stack::swarm
