// planUp, part one: deciding what each replica of each selected service needs.

#include "orchestrator/planner/up_planner.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "orchestrator/compose/labels.hpp"
#include "orchestrator/compose/service_graph.hpp"
#include "orchestrator/planner/planner_support.hpp"

namespace stack::orchestrator::planner {
namespace detail {

UpPlanner::UpPlanner(const compose::Project& project, const DesiredState& desired,
                     const ObservedState& observed, const UpOptions& options)
    : project_(project),
      desired_(desired),
      observed_(observed),
      options_(options),
      graph_(compose::serviceGraph(project, &result_.warnings)) {}

PlanResult UpPlanner::run() {
  selectServices();
  for (const auto& name : graph_.startOrder()) {
    if (selected_.count(name)) decisions_[name] = decide(project_.services.at(name));
  }
  markRestarts();
  planNetworks();
  planVolumes();
  planOrphans();
  for (const auto& name : graph_.stopOrder()) planRestartStops(name);
  for (const auto& name : graph_.startOrder()) {
    if (selected_.count(name)) planService(project_.services.at(name));
  }
  planDuplicateNetworks();
  return std::move(result_);
}

void UpPlanner::selectServices() {
  std::set<std::string> wanted = options_.services;
  if (wanted.empty()) {
    for (const auto& [name, _] : project_.services) wanted.insert(name);
  }
  for (const auto& name : wanted) {
    if (!project_.services.count(name)) {
      throw Error(ErrorKind::Usage, "no such service: " + name,
                  "`stack config --services` lists the project's services");
    }
  }
  selected_ = options_.no_deps ? wanted : graph_.withDependencies(wanted);
}

bool UpPlanner::mustRecreate(const compose::Service& service,
                             const runtime::ContainerSummary& container,
                             std::string& reason) const {
  if (options_.force_recreate) {
    reason = "--force-recreate";
    return true;
  }
  if (options_.no_recreate) return false;
  auto hash = desired_.config_hashes.find(service.name);
  if (hash != desired_.config_hashes.end() &&
      label(container, compose::labels::kConfigHash) != hash->second) {
    reason = "configuration changed";
    return true;
  }
  auto image = observed_.image_ids.find(serviceImage(project_, service));
  const std::string used = label(container, compose::labels::kImage);
  if (image != observed_.image_ids.end() && !used.empty() && used != image->second) {
    reason = "image changed";
    return true;
  }
  for (const auto& key : serviceNetworkKeys(service)) {
    const std::string name = networkName(project_, key);
    if (std::find(container.networks.begin(), container.networks.end(), name) ==
        container.networks.end()) {
      reason = "not connected to network " + name;
      return true;
    }
    // Attached by id to another network of that name: a duplicate, or one since removed.
    auto used = container.network_ids.find(name);
    auto kept = observed_.networks.find(name);
    if (used != container.network_ids.end() && kept != observed_.networks.end() &&
        used->second != kept->second.id) {
      reason = "attached to another network named " + name;
      return true;
    }
  }
  return false;
}

ServiceDecision UpPlanner::decide(const compose::Service& service) const {
  const int replicas = desiredReplicas(service, options_);
  if (!service.container_name.empty() && replicas > 1) {
    throw configError({.key_path = "services." + service.name + ".container_name"},
                      "service \"" + service.name + "\" sets container_name and asks for " +
                          std::to_string(replicas) + " replicas",
                      "container names are unique: drop container_name or scale to 1");
  }
  ServiceDecision decision;
  auto containers = serviceContainers(observed_, service.name);
  for (int number = 1; number <= replicas; ++number) {
    Slot slot{number};
    const std::string final_name = serviceContainerName(project_, service, number);
    slot.current = pickSlotContainer(containers, number, final_name, decision.surplus);
    if (!slot.current) {
      slot.action = SlotAction::Create;
      slot.reason = "missing";
    } else if (mustRecreate(service, *slot.current, slot.reason)) {
      slot.action = SlotAction::Recreate;
    } else if (slot.current->name != final_name) {
      slot.action = SlotAction::Start;
      slot.reason = "finish an interrupted recreate";
    } else if (slot.current->state != "running") {
      slot.action = SlotAction::Start;
      slot.reason = slot.current->state;
    }
    decision.recreated |= slot.action == SlotAction::Create || slot.action == SlotAction::Recreate;
    decision.slots.push_back(slot);
  }
  for (const auto* container : containers) {
    if (numberOf(*container) > replicas || numberOf(*container) < 1) {
      decision.surplus.push_back(container);
    }
  }
  return decision;
}

void UpPlanner::markRestarts() {
  for (const auto& name : graph_.startOrder()) {
    auto it = decisions_.find(name);
    if (it == decisions_.end()) continue;
    for (const auto& [dependency, spec] : project_.services.at(name).depends_on) {
      auto dep = decisions_.find(dependency);
      if (!spec.restart || dep == decisions_.end()) continue;
      const bool dependency_restarts = dep->second.recreated || dep->second.restart;
      if (dependency_restarts && (options_.always_recreate_deps || !it->second.recreated)) {
        it->second.restart = true;
      }
    }
  }
}

}  // namespace detail

int desiredReplicas(const compose::Service& service, const UpOptions& options) {
  if (auto it = options.scale.find(service.name); it != options.scale.end()) return it->second;
  if (service.scale) return *service.scale;
  if (service.deploy && service.deploy->replicas) return *service.deploy->replicas;
  return 1;
}

PlanResult planUp(const compose::Project& project, const DesiredState& desired,
                  const ObservedState& observed, const UpOptions& options) {
  return detail::UpPlanner(project, desired, observed, options).run();
}

}  // namespace stack::orchestrator::planner
