// The findings for compose keys that no Swarm setting carries: each one says what Swarm
// does instead, so a user never loses a key silently (docker stack deploy's main
// complaint). Keys the converters translate report themselves there.

#include "orchestrator/compose/labels.hpp"
#include "orchestrator/compose/policies.hpp"
#include "swarm/converter_detail.hpp"

namespace stack::swarm::detail {
namespace {

using compose::Service;

struct DroppedKey {
  const char* key;
  bool (*present)(const Service&);
  const char* instead;
};

template <class T>
bool set(const std::optional<T>& value) {
  return value.has_value();
}
bool set(const std::string& value) {
  return !value.empty();
}
template <class T>
bool set(const std::vector<T>& value) {
  return !value.empty();
}
template <class K, class V>
bool set(const std::map<K, V>& value) {
  return !value.empty();
}
bool set(const Json& value) {
  return !value.is_null() && !(value.is_array() && value.empty());
}

template <auto Field>
bool has(const Service& s) {
  return set(s.*Field);
}

const std::vector<DroppedKey>& droppedKeys() {
  static const std::vector<DroppedKey> keys = {
      {"container_name", has<&Service::container_name>,
       "Swarm names tasks <stack>_<service>.<slot>"},
      {"links", has<&Service::links>,
       "services reach each other by service name on their shared networks"},
      {"external_links", has<&Service::external_links>,
       "attach the service to an external network"},
      {"expose", has<&Service::expose>, "every port is reachable on the service's networks"},
      {"devices", has<&Service::devices>, "Swarm services cannot map host devices"},
      {"privileged", [](const Service& s) { return s.privileged; },
       "Swarm services cannot run privileged; grant capabilities with cap_add"},
      {"security_opt", has<&Service::security_opt>, "no Swarm equivalent"},
      {"cgroup_parent", has<&Service::cgroup_parent>, "no Swarm equivalent"},
      {"cgroup", has<&Service::cgroup>, "no Swarm equivalent"},
      {"ipc", has<&Service::ipc>, "no Swarm equivalent"},
      {"pid", has<&Service::pid>, "no Swarm equivalent"},
      {"uts", has<&Service::uts>, "no Swarm equivalent"},
      {"userns_mode", has<&Service::userns_mode>, "no Swarm equivalent"},
      {"shm_size", has<&Service::shm_size>, "mount a tmpfs at /dev/shm instead"},
      {"mac_address", has<&Service::mac_address>, "Swarm assigns addresses"},
      {"domainname", has<&Service::domainname>, "no Swarm equivalent"},
      {"volumes_from", has<&Service::volumes_from>,
       "services cannot share a container's volumes; mount the same named volume in both"},
      {"pull_policy", has<&Service::pull_policy>,
       "nodes pull the image the service names (stack pins it to a digest or image id)"},
      {"platform", has<&Service::platform>,
       "each node runs the image for its own platform; constrain with node.platform.*"},
      {"memswap_limit", has<&Service::memswap_limit>, "no Swarm equivalent"},
      {"mem_swappiness", has<&Service::mem_swappiness>, "no Swarm equivalent"},
      {"cpu_shares", has<&Service::cpu_shares>, "use deploy.resources"},
      {"cpu_quota", has<&Service::cpu_quota>, "use deploy.resources.limits.cpus"},
      {"cpu_period", has<&Service::cpu_period>, "use deploy.resources.limits.cpus"},
      {"cpu_rt_runtime", has<&Service::cpu_rt_runtime>, "no Swarm equivalent"},
      {"cpu_rt_period", has<&Service::cpu_rt_period>, "no Swarm equivalent"},
      {"cpu_count", has<&Service::cpu_count>, "use deploy.resources.limits.cpus"},
      {"cpu_percent", has<&Service::cpu_percent>, "use deploy.resources.limits.cpus"},
      {"cpuset", has<&Service::cpuset>, "no Swarm equivalent"},
      {"oom_kill_disable", has<&Service::oom_kill_disable>, "no Swarm equivalent"},
      {"oom_score_adj", has<&Service::oom_score_adj>, "needs Engine API 1.46"},
      {"storage_opt", has<&Service::storage_opt>, "no Swarm equivalent"},
      {"blkio_config", has<&Service::blkio_config>, "no Swarm equivalent"},
      {"device_cgroup_rules", has<&Service::device_cgroup_rules>, "no Swarm equivalent"},
      {"credential_spec", has<&Service::credential_spec>, "Windows only; not converted"},
      {"gpus", has<&Service::gpus>,
       "reserve them as deploy.resources.reservations.generic_resources"},
      {"runtime", has<&Service::runtime>, "no Swarm equivalent"},
      {"annotations", has<&Service::annotations>, "no Swarm equivalent"},
      {"attach", has<&Service::attach>, "stack deploy never attaches; see docker service logs"},
      {"post_start", has<&Service::post_start>, "Swarm runs no lifecycle hooks"},
      {"pre_stop", has<&Service::pre_stop>, "Swarm runs no lifecycle hooks"},
      {"develop", has<&Service::develop>, "watch is for stack up"},
  };
  return keys;
}

#undef STACK_KEY

void noteDependencies(const ConvertContext& context, const Service& service) {
  for (const auto& [name, dependency] : service.depends_on) {
    std::string detail = "Swarm starts services in no order";
    const auto condition = compose::parseDependencyCondition(dependency.condition);
    if (condition == compose::DependencyCondition::Healthy) {
      detail += " and does not wait for \"" + name + "\" to be healthy";
    } else if (condition == compose::DependencyCondition::CompletedSuccessfully) {
      detail += " and does not wait for \"" + name + "\" to complete";
    }
    detail += "; the restart policy retries a task that fails while it is missing";
    context.note(service, "depends_on." + name, FindingAction::Ignored, detail);
  }
}

void noteNetworkOptions(const ConvertContext& context, const Service& service) {
  for (const auto& [name, options] : service.networks) {
    if (!options) continue;
    const std::string base = "networks." + name;
    auto drop = [&](bool present, const char* key) {
      if (present) {
        context.note(service, base + "." + key, FindingAction::Ignored, "Swarm assigns addresses");
      }
    };
    drop(!options->ipv4_address.empty(), "ipv4_address");
    drop(!options->ipv6_address.empty(), "ipv6_address");
    drop(!options->link_local_ips.empty(), "link_local_ips");
    drop(!options->mac_address.empty(), "mac_address");
    if (options->priority) {
      context.note(service, base + ".priority", FindingAction::Ignored,
                   "Swarm attaches networks in name order");
    }
  }
}

}  // namespace

void noteDroppedKeys(const ConvertContext& context, const Service& service) {
  if (service.build) {
    context.note(service, "build", FindingAction::Done,
                 "built before deploying; the service runs the image \"" +
                     compose::serviceImage(context.project, service) + "\"");
  }
  noteDependencies(context, service);
  for (const DroppedKey& key : droppedKeys()) {
    if (key.present(service)) context.note(service, key.key, FindingAction::Ignored, key.instead);
  }
  noteNetworkOptions(context, service);
}

}  // namespace stack::swarm::detail
