// The converter's `deploy:` section (mode, resources, restart policy, placement, update
// and rollback configs, endpoint mode) and the service's ports.

#include <algorithm>

#include "orchestrator/compose/policies.hpp"
#include "orchestrator/compose/units.hpp"
#include "swarm/converter_detail.hpp"

namespace stack::swarm::detail {
namespace {

const compose::DeployConfig kNoDeploy;

const compose::DeployConfig& deployOf(const compose::Service& service) {
  return service.deploy ? *service.deploy : kNoDeploy;
}

Json mode(const ConvertContext& context, const compose::Service& service) {
  const compose::DeployConfig& deploy = deployOf(service);
  std::optional<int> replicas = deploy.replicas;
  if (!replicas && service.scale) {
    replicas = service.scale;
    context.note(service, "scale", FindingAction::Converted, "converted to deploy.replicas");
  }
  const std::string& name = deploy.mode;
  if ((name == "global" || name == "global-job") && deploy.replicas) {
    context.fail(service, "deploy.replicas",
                 "replicas can only be used with replicated or replicated-job mode",
                 "remove deploy.replicas, or use mode: replicated");
  }
  if (name == "global") return {{"Global", Json::object()}};
  if (name == "global-job") return {{"GlobalJob", Json::object()}};
  const int count = replicas.value_or(1);
  if (name == "replicated-job") {
    return {{"ReplicatedJob", {{"MaxConcurrent", count}, {"TotalCompletions", count}}}};
  }
  if (name.empty() || name == "replicated") return {{"Replicated", {{"Replicas", count}}}};
  context.fail(service, "deploy.mode", "unknown mode \"" + name + "\"",
               "use replicated, global, replicated-job or global-job");
}

Json resourceJson(std::optional<double> cpus, std::optional<int64_t> memory,
                  std::optional<int64_t> pids) {
  Json out = Json::object();
  if (cpus) out["NanoCPUs"] = nanoCpus(*cpus);
  if (memory) out["MemoryBytes"] = *memory;
  if (pids) out["Pids"] = *pids;
  return out;
}

// compose's generic_resources: [{discrete_resource_spec: {kind, value}}, ...].
Json genericResources(const ConvertContext& context, const compose::Service& service,
                      const Json& source) {
  Json out = Json::array();
  if (!source.is_array()) return out;
  for (size_t i = 0; i < source.size(); ++i) {
    const std::string key =
        "deploy.resources.reservations.generic_resources[" + std::to_string(i) + "]";
    for (const auto& [kind, field] : {std::pair{"discrete_resource_spec", "DiscreteResourceSpec"},
                                      std::pair{"named_resource_spec", "NamedResourceSpec"}}) {
      if (!source[i].contains(kind)) continue;
      const Json& spec = source[i][kind];
      if (!spec.is_object() || !spec.contains("kind") || !spec.contains("value")) {
        context.fail(service, key, std::string(kind) + " needs kind and value");
      }
      out.push_back({{field, {{"Kind", spec["kind"]}, {"Value", spec["value"]}}}});
    }
  }
  return out;
}

Json resources(const ConvertContext& context, const compose::Service& service) {
  const compose::DeployConfig& deploy = deployOf(service);
  compose::ResourceSpec limits = deploy.limits.value_or(compose::ResourceSpec{});
  compose::ResourceSpec reservations = deploy.reservations.value_or(compose::ResourceSpec{});
  auto fallback = [&](auto& target, const auto& value, const char* key, const char* into) {
    if (!value) return;
    if (!target) {
      target = value;
      context.note(service, key, FindingAction::Converted, std::string("converted to ") + into);
    } else {
      context.note(service, key, FindingAction::Ignored, std::string(into) + " wins");
    }
  };
  fallback(limits.cpus, service.cpus, "cpus", "deploy.resources.limits.cpus");
  fallback(limits.memory, service.mem_limit, "mem_limit", "deploy.resources.limits.memory");
  fallback(limits.pids, service.pids_limit, "pids_limit", "deploy.resources.limits.pids");
  fallback(reservations.memory, service.mem_reservation, "mem_reservation",
           "deploy.resources.reservations.memory");
  Json out = Json::object();
  if (Json l = resourceJson(limits.cpus, limits.memory, limits.pids); !l.empty()) out["Limits"] = l;
  Json r = resourceJson(reservations.cpus, reservations.memory, std::nullopt);
  if (Json g = genericResources(context, service, reservations.generic_resources); !g.empty()) {
    r["GenericResources"] = g;
  }
  if (!r.empty()) out["Reservations"] = r;
  if (!reservations.devices.is_null() && !reservations.devices.empty()) {
    context.note(service, "deploy.resources.reservations.devices", FindingAction::Ignored,
                 "Swarm reserves generic resources, not devices");
  }
  return out;
}

Json restartPolicy(const ConvertContext& context, const compose::Service& service) {
  const compose::DeployConfig& deploy = deployOf(service);
  if (deploy.restart_policy) {
    const compose::RestartPolicy& p = *deploy.restart_policy;
    if (!service.restart.empty()) {
      context.note(service, "restart", FindingAction::Ignored, "deploy.restart_policy wins");
    }
    Json out = Json::object();
    if (!p.condition.empty()) out["Condition"] = p.condition;
    if (p.delay) out["Delay"] = nanos(*p.delay);
    if (p.max_attempts) out["MaxAttempts"] = *p.max_attempts;
    if (p.window) out["Window"] = nanos(*p.window);
    return out;
  }
  const auto restart = compose::parseRestart(service.restart);
  if (!restart || restart->mode == compose::RestartMode::Unset) return nullptr;
  Json out;
  switch (restart->mode) {
    case compose::RestartMode::No:
      out = {{"Condition", "none"}};
      break;
    case compose::RestartMode::Always:
    case compose::RestartMode::UnlessStopped:
      out = {{"Condition", "any"}};
      break;
    case compose::RestartMode::OnFailure:
      out = {{"Condition", "on-failure"}};
      if (restart->max_retries > 0) out["MaxAttempts"] = restart->max_retries;
      break;
    case compose::RestartMode::Unset:
      return nullptr;
  }
  context.note(
      service, "restart", FindingAction::Converted,
      "converted to deploy.restart_policy.condition " + out["Condition"].get<std::string>());
  return out;
}

std::optional<compose::Duration> durationOf(const ConvertContext& context,
                                            const compose::Service& service, const Json& value,
                                            const std::string& key) {
  if (value.is_number_integer() && value.get<int64_t>() == 0) return compose::Duration(0);
  if (value.is_string()) {
    if (auto d = compose::parseDuration(value.get<std::string>())) return d;
  }
  context.fail(service, key, "invalid duration " + value.dump(), "write e.g. 10s or 1m30s");
}

Json placement(const ConvertContext& context, const compose::Service& service) {
  const Json& source = deployOf(service).placement;
  Json out = Json::object();
  if (!source.is_object()) return out;
  const std::string base = "deploy.placement";
  for (const auto& [key, value] : source.items()) {
    if (key == "constraints" && value.is_array()) {
      for (const auto& c : value) {
        if (!c.is_string()) context.fail(service, base + ".constraints", "constraints are strings");
      }
      out["Constraints"] = value;
    } else if (key == "preferences" && value.is_array()) {
      Json prefs = Json::array();
      for (const auto& p : value) {
        if (!p.is_object() || !p.contains("spread") || !p["spread"].is_string()) {
          context.fail(service, base + ".preferences", "each preference is {spread: <label>}");
        }
        prefs.push_back({{"Spread", {{"SpreadDescriptor", p["spread"]}}}});
      }
      out["Preferences"] = prefs;
    } else if (key == "max_replicas_per_node" && value.is_number_integer()) {
      out["MaxReplicas"] = value;
    } else {
      context.fail(service, base + "." + key, "unexpected value " + value.dump(),
                   "placement takes constraints, preferences and max_replicas_per_node");
    }
  }
  return out;
}

Json updateConfig(const ConvertContext& context, const compose::Service& service,
                  const Json& source, const std::string& base) {
  if (!source.is_object()) return nullptr;
  Json out = {{"Parallelism", 1}};  // docker's default once the section is present
  for (const auto& [key, value] : source.items()) {
    const std::string path = base + "." + key;
    auto oneOf = [&](std::initializer_list<const char*> allowed) {
      for (const char* a : allowed) {
        if (value.is_string() && value.get<std::string>() == a) return value;
      }
      context.fail(service, path, "invalid value " + value.dump());
    };
    if (key == "parallelism" && value.is_number_integer() && value.get<int64_t>() >= 0) {
      out["Parallelism"] = value;
    } else if (key == "delay" || key == "monitor") {
      out[key == "delay" ? "Delay" : "Monitor"] = nanos(*durationOf(context, service, value, path));
    } else if (key == "failure_action") {
      out["FailureAction"] = oneOf({"continue", "pause", "rollback"});
    } else if (key == "max_failure_ratio" && value.is_number()) {
      out["MaxFailureRatio"] = value;
    } else if (key == "order") {
      out["Order"] = oneOf({"start-first", "stop-first"});
    } else {
      context.fail(service, path, "unexpected value " + value.dump(),
                   "use parallelism, delay, failure_action, monitor, max_failure_ratio, order");
    }
  }
  return out;
}

Json portJson(const ConvertContext& context, const compose::Service& service,
              const compose::PortConfig& port, size_t index) {
  const std::string key = "ports[" + std::to_string(index) + "]";
  Json out = {{"Protocol", port.protocol.empty() ? "tcp" : port.protocol},
              {"TargetPort", port.target},
              {"PublishMode", port.mode.empty() ? "ingress" : port.mode}};
  if (!port.name.empty()) out["Name"] = port.name;
  if (!port.published.empty()) {
    const std::string first = port.published.substr(0, port.published.find('-'));
    out["PublishedPort"] = std::stoul(first);
    if (first != port.published) {
      context.note(service, key + ".published", FindingAction::Ignored,
                   "a Swarm port publishes one port; published on " + first);
    }
  }
  if (!port.host_ip.empty()) {
    context.note(service, key + ".host_ip", FindingAction::Ignored,
                 "Swarm publishes on every interface of the nodes");
  }
  if (!port.app_protocol.empty()) {
    context.note(service, key + ".app_protocol", FindingAction::Ignored, "no Swarm equivalent");
  }
  return out;
}

Json endpointSpec(const ConvertContext& context, const compose::Service& service) {
  const std::string& mode = deployOf(service).endpoint_mode;
  if (!mode.empty() && mode != "vip" && mode != "dnsrr") {
    context.fail(service, "deploy.endpoint_mode", "unknown endpoint mode \"" + mode + "\"",
                 "use vip or dnsrr");
  }
  std::vector<Json> ports;
  for (size_t i = 0; i < service.ports.size(); ++i) {
    ports.push_back(portJson(context, service, service.ports[i], i));
    if (mode == "dnsrr" && ports.back()["PublishMode"] == "ingress") {
      context.fail(service, "ports[" + std::to_string(i) + "]",
                   "a port published in ingress mode cannot be used with endpoint_mode dnsrr",
                   "publish it with mode: host, or use endpoint_mode vip");
    }
  }
  std::sort(ports.begin(), ports.end(), [](const Json& a, const Json& b) {
    return std::tie(a["TargetPort"], a["Protocol"], a["PublishMode"]) <
           std::tie(b["TargetPort"], b["Protocol"], b["PublishMode"]);
  });
  Json out = Json::object();
  if (!mode.empty()) out["Mode"] = mode;
  if (!ports.empty()) out["Ports"] = ports;
  return out;
}

}  // namespace

void applyDeploy(const ConvertContext& context, const compose::Service& service, Json& spec) {
  spec["Mode"] = mode(context, service);
  Json& task = spec["TaskTemplate"];
  if (Json r = resources(context, service); !r.empty()) task["Resources"] = r;
  if (Json r = restartPolicy(context, service); !r.is_null()) task["RestartPolicy"] = r;
  if (Json p = placement(context, service); !p.empty()) task["Placement"] = p;
  const compose::DeployConfig& deploy = deployOf(service);
  if (Json u = updateConfig(context, service, deploy.update_config, "deploy.update_config");
      !u.is_null()) {
    spec["UpdateConfig"] = u;
  }
  if (Json r = updateConfig(context, service, deploy.rollback_config, "deploy.rollback_config");
      !r.is_null()) {
    spec["RollbackConfig"] = r;
  }
  if (Json e = endpointSpec(context, service); !e.empty()) spec["EndpointSpec"] = e;
}

}  // namespace stack::swarm::detail
