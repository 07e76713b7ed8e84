// The deploy planner (see deploy_plan.hpp).

#include "swarm/deploy_plan.hpp"

#include <set>

#include "core/error.hpp"
#include "runtime/context/content_hasher.hpp"

namespace stack::swarm {
namespace {

std::string labelOf(const runtime::StringMap& labels, std::string_view key) {
  auto it = labels.find(std::string(key));
  return it == labels.end() ? std::string() : it->second;
}

void checkExternals(const StackSpec& desired, const ObservedStack& observed) {
  for (const NetworkSpec& network : desired.networks) {
    if (!network.external) continue;
    auto it = observed.external_networks.find(network.name);
    if (it == observed.external_networks.end()) {
      throw Error(ErrorKind::NotFound,
                  "network \"" + network.name +
                      "\" is declared as external, but could not be "
                      "found",
                  "create a swarm-scoped network first: docker network create --driver overlay "
                  "--attachable " +
                      network.name);
    }
    if (it->second.scope != "swarm") {
      throw Error(ErrorKind::Config,
                  "network \"" + network.name + "\" is declared as external, but its scope is \"" +
                      it->second.scope + "\", not \"swarm\"",
                  "Swarm services can only join swarm-scoped (overlay) networks");
    }
  }
  auto check = [](const std::vector<std::string>& names,
                  const std::map<std::string, runtime::SwarmFileObject>& found, const char* kind) {
    for (const std::string& name : names) {
      if (found.count(name)) continue;
      throw Error(ErrorKind::NotFound,
                  std::string(kind) + " \"" + name +
                      "\" is declared as external, but could not "
                      "be found",
                  std::string("create it first: docker ") + kind + " create " + name + " <file>");
    }
  };
  check(desired.external_secrets, observed.external_secrets, "secret");
  check(desired.external_configs, observed.external_configs, "config");
}

struct ObjectKinds {
  StepKind create;
  StepKind remove;
};

// Settles each desired object's name (see the header) and plans its creation. Returns
// preferred name -> settled name.
std::map<std::string, std::string> settleObjects(
    const std::vector<FileObjectSpec>& desired, const std::vector<runtime::SwarmFileObject>& seen,
    const std::map<std::string, runtime::SwarmFileObject>& external, ObjectKinds kinds,
    std::vector<runtime::SwarmFileObjectSpec>& to_create, std::map<std::string, std::string>& ids,
    std::vector<DeployStep>& steps) {
  std::map<std::string, const runtime::SwarmFileObject*> by_name;
  for (const auto& object : seen) by_name[object.name] = &object;
  std::map<std::string, std::string> settled;
  for (const FileObjectSpec& object : desired) {
    auto holds = [&](const std::string& name) {
      auto it = by_name.find(name);
      return it != by_name.end() &&
             labelOf(it->second->labels, kContentHashLabel) == object.content_hash;
    };
    std::string name = object.name;
    if (by_name.count(name) && !holds(name)) name += "-" + object.content_hash.substr(0, 8);
    settled[object.name] = name;
    if (holds(name)) {
      ids[name] = by_name[name]->id;
      continue;
    }
    runtime::SwarmFileObjectSpec spec = object.spec;
    spec.name = name;
    to_create.push_back(spec);
    std::string reason = "new";
    if (name != object.name) {
      reason = labelOf(by_name[object.name]->labels, kContentHashLabel).empty()
                   ? "\"" + object.name + "\" was made by another tool; its data is unknown"
                   : "data changed (Swarm keeps data immutable)";
    }
    steps.push_back({kinds.create, name, "", 0, reason, to_create.size() - 1});
  }
  for (const auto& [name, object] : external) ids[name] = object.id;
  return settled;
}

std::set<std::string> referencedNames(const Json& spec, const char* list, const char* field) {
  std::set<std::string> out;
  const Json* container = nullptr;
  if (spec.contains("TaskTemplate") && spec["TaskTemplate"].contains("ContainerSpec")) {
    container = &spec["TaskTemplate"]["ContainerSpec"];
  }
  if (!container || !container->contains(list) || !(*container)[list].is_array()) return out;
  for (const auto& ref : (*container)[list]) {
    if (ref.contains(field) && ref[field].is_string()) out.insert(ref[field].get<std::string>());
  }
  return out;
}

void renameReferences(Json& spec, const char* list, const char* field,
                      const std::map<std::string, std::string>& settled) {
  Json& container = spec["TaskTemplate"]["ContainerSpec"];
  if (!container.contains(list)) return;
  for (auto& ref : container[list]) {
    auto it = settled.find(ref[field].get<std::string>());
    if (it != settled.end()) ref[field] = it->second;
  }
}

// Versions stack made (they carry the content hash) that nothing will reference.
void planStaleRemovals(const std::vector<runtime::SwarmFileObject>& seen,
                       const std::set<std::string>& referenced, StepKind kind,
                       std::vector<DeployStep>& steps) {
  for (const auto& object : seen) {
    if (labelOf(object.labels, kContentHashLabel).empty() || referenced.count(object.name))
      continue;
    steps.push_back({kind, object.name, object.id, 0, "no longer referenced", 0});
  }
}

}  // namespace

std::string specHash(const Json& spec) {
  Json copy = spec;
  if (copy.contains("Labels")) copy["Labels"].erase(std::string(kSpecHashLabel));
  if (copy.contains("TaskTemplate")) copy["TaskTemplate"].erase("ForceUpdate");
  return stack::sha256Hex(copy.dump());
}

DeployPlan planDeploy(const StackSpec& desired, const ObservedStack& observed,
                      const PlanOptions& options) {
  checkExternals(desired, observed);
  DeployPlan plan;
  plan.stack = desired.stack;
  std::set<std::string> existing_networks;
  for (const auto& network : observed.networks) existing_networks.insert(network.name);
  for (const NetworkSpec& network : desired.networks) {
    if (network.external || existing_networks.count(network.name)) continue;
    plan.networks.push_back(network);
    plan.steps.push_back(
        {StepKind::CreateNetwork, network.name, "", 0, "new", plan.networks.size() - 1});
  }
  const auto secrets = settleObjects(desired.secrets, observed.secrets, observed.external_secrets,
                                     {StepKind::CreateSecret, StepKind::RemoveSecret}, plan.secrets,
                                     plan.secret_ids, plan.steps);
  const auto configs = settleObjects(desired.configs, observed.configs, observed.external_configs,
                                     {StepKind::CreateConfig, StepKind::RemoveConfig}, plan.configs,
                                     plan.config_ids, plan.steps);
  std::map<std::string, const runtime::SwarmService*> current;
  for (const auto& service : observed.services) current[service.name] = &service;
  std::set<std::string> secret_refs, config_refs;
  for (const ServiceSpec& service : desired.services) {
    PlannedService planned{service.key, service.name, service.spec, ""};
    renameReferences(planned.spec, "Secrets", "SecretName", secrets);
    renameReferences(planned.spec, "Configs", "ConfigName", configs);
    planned.spec_hash = specHash(planned.spec);
    planned.spec["Labels"][std::string(kSpecHashLabel)] = planned.spec_hash;
    secret_refs.merge(referencedNames(planned.spec, "Secrets", "SecretName"));
    config_refs.merge(referencedNames(planned.spec, "Configs", "ConfigName"));
    plan.services.push_back(std::move(planned));
    const PlannedService& p = plan.services.back();
    auto it = current.find(service.name);
    if (it == current.end()) {
      plan.steps.push_back(
          {StepKind::CreateService, p.name, "", 0, "new", plan.services.size() - 1});
    } else if (labelOf(it->second->labels, kSpecHashLabel) == p.spec_hash) {
      plan.unchanged.push_back(p.name);
    } else {
      const bool ours = !labelOf(it->second->labels, kSpecHashLabel).empty();
      plan.steps.push_back({StepKind::UpdateService, p.name, it->second->id, it->second->version,
                            ours ? "spec changed" : "last deployed by another tool",
                            plan.services.size() - 1});
    }
    current.erase(service.name);
  }
  for (const auto& [name, service] : current) {  // in the stack, not in the file
    if (options.prune) {
      plan.steps.push_back(
          {StepKind::RemoveService, name, service->id, 0, "not in the file (--prune)", 0});
      continue;
    }
    plan.orphans.push_back(name);
    secret_refs.merge(referencedNames(service->spec, "Secrets", "SecretName"));
    config_refs.merge(referencedNames(service->spec, "Configs", "ConfigName"));
  }
  planStaleRemovals(observed.secrets, secret_refs, StepKind::RemoveSecret, plan.steps);
  planStaleRemovals(observed.configs, config_refs, StepKind::RemoveConfig, plan.steps);
  return plan;
}

std::string stepCall(const DeployStep& step) {
  switch (step.kind) {
    case StepKind::CreateNetwork:
      return "POST /networks/create";
    case StepKind::CreateSecret:
      return "POST /secrets/create";
    case StepKind::CreateConfig:
      return "POST /configs/create";
    case StepKind::CreateService:
      return "POST /services/create";
    case StepKind::UpdateService:
      return "POST /services/" + step.id + "/update?version=" + std::to_string(step.version);
    case StepKind::RemoveService:
      return "DELETE /services/" + step.id;
    case StepKind::RemoveSecret:
      return "DELETE /secrets/" + step.id;
    case StepKind::RemoveConfig:
      return "DELETE /configs/" + step.id;
  }
  return "";
}

std::vector<std::string> describePlan(const DeployPlan& plan) {
  std::vector<std::string> out;
  for (const DeployStep& step : plan.steps) {
    out.push_back(stepCall(step) + "  " + step.name + "  (" + step.reason + ")");
  }
  for (const std::string& name : plan.unchanged) out.push_back("unchanged  " + name);
  for (const std::string& name : plan.orphans) {
    out.push_back("orphan  " + name + "  (not in the file; --prune removes it)");
  }
  return out;
}

Json planJson(const DeployPlan& plan) {
  Json steps = Json::array();
  for (const DeployStep& step : plan.steps) {
    Json entry = {{"call", stepCall(step)}, {"name", step.name}, {"reason", step.reason}};
    if (step.kind == StepKind::CreateService || step.kind == StepKind::UpdateService) {
      entry["spec"] = plan.services[step.index].spec;
    } else if (step.kind == StepKind::CreateNetwork) {
      entry["driver"] = plan.networks[step.index].create.driver;
    }
    steps.push_back(std::move(entry));
  }
  return {{"stack", plan.stack},
          {"calls", steps},
          {"unchanged", plan.unchanged},
          {"orphans", plan.orphans}};
}

}  // namespace stack::swarm
