// planDown and planStop: tearing down in reverse dependency order, never touching what
// belongs to someone else (external resources, other projects' networks).

#include <algorithm>
#include <functional>

#include "orchestrator/compose/labels.hpp"
#include "orchestrator/planner/planner.hpp"
#include "orchestrator/planner/planner_support.hpp"
#include "runtime/container_phase.hpp"

namespace stack::orchestrator::planner {
namespace {

using Dependencies = std::map<std::string, std::set<std::string>>;

// Service dependencies from the model when there is one, else from the depends_on labels
// docker compose (and stack) write on containers: "svc:condition:restart,...".
Dependencies dependenciesOf(const compose::Project* project, const ObservedState& observed) {
  Dependencies deps;
  if (project) {
    for (const auto* services : {&project->services, &project->disabled_services}) {
      for (const auto& [name, service] : *services) {
        for (const auto& [dependency, _] : service.depends_on) deps[name].insert(dependency);
      }
    }
  }
  for (const auto& container : observed.containers) {
    const std::string service = label(container, compose::labels::kService);
    deps[service];
    if (project) continue;
    const std::string text = label(container, compose::labels::kDependsOn);
    size_t start = 0;
    while (start < text.size()) {
      size_t comma = text.find(',', start);
      if (comma == std::string::npos) comma = text.size();
      const std::string entry = text.substr(start, comma - start);
      const std::string dependency = entry.substr(0, entry.find(':'));
      if (!dependency.empty()) deps[service].insert(dependency);
      start = comma + 1;
    }
  }
  return deps;
}

// Services ordered dependents first. Cycles (possible only in labels) are broken by name.
std::vector<std::string> stopOrder(const Dependencies& deps) {
  std::vector<std::string> order;
  std::set<std::string> done;
  std::set<std::string> visiting;
  std::function<void(const std::string&)> visit = [&](const std::string& service) {
    if (done.count(service) || visiting.count(service)) return;
    visiting.insert(service);
    auto it = deps.find(service);
    if (it != deps.end()) {
      for (const auto& dependency : it->second) visit(dependency);
    }
    visiting.erase(service);
    done.insert(service);
    order.push_back(service);
  };
  for (const auto& [service, _] : deps) visit(service);
  std::reverse(order.begin(), order.end());
  return order;
}

bool isRunning(const runtime::ContainerSummary& container) {
  return runtime::isUp(container.state);
}

bool ownedBy(const runtime::StringMap& resource_labels, const std::string& project_name) {
  auto it = resource_labels.find(std::string(compose::labels::kProject));
  return it != resource_labels.end() && it->second == project_name;
}

// Stop steps per service, each after the stops of the services that depend on it.
// Returns the stop step of each container, by container name.
std::map<std::string, size_t> addStops(
    Plan& plan, const Dependencies& deps,
    const std::vector<const runtime::ContainerSummary*>& containers,
    std::optional<int> timeout_seconds) {
  std::map<std::string, std::vector<size_t>> stops;
  std::map<std::string, size_t> by_container;
  for (const auto& service : stopOrder(deps)) {
    std::vector<size_t> after;
    for (const auto& [dependent, its_deps] : deps) {
      if (its_deps.count(service) && stops.count(dependent)) {
        after.insert(after.end(), stops[dependent].begin(), stops[dependent].end());
      }
    }
    for (const auto* container : containers) {
      if (label(*container, compose::labels::kService) != service || !isRunning(*container))
        continue;
      Step stop{.action = StepAction::StopContainer,
                .service = service,
                .target = container->name,
                .after = after};
      stop.timeout_seconds = timeout_seconds;
      const size_t id = plan.add(std::move(stop));
      stops[service].push_back(id);
      by_container[container->name] = id;
    }
    // A service with nothing to stop passes its dependents' stops on, so the order holds
    // transitively (c -> b -> a with b stopped: a still stops after c).
    if (stops[service].empty()) stops[service] = after;
  }
  return by_container;
}

// The project's networks, after the containers are gone; external ones stay. Duplicates
// (see ObservedState) go too, and while they exist names are ambiguous, so every network
// of a duplicated name is removed by id.
void addNetworkRemovals(PlanResult& result, const std::string& project_name,
                        const compose::Project* project, const ObservedState& observed,
                        const std::vector<size_t>& removals,
                        const std::map<std::string, size_t>& removal_of) {
  std::set<std::string> duplicated;
  for (const auto& network : observed.duplicate_networks) duplicated.insert(network.name);
  for (const auto& [name, network] : observed.networks) {
    if (!ownedBy(network.labels, project_name)) continue;
    if (project) {
      auto declared = std::find_if(project->networks.begin(), project->networks.end(),
                                   [&](const auto& entry) { return entry.second.name == name; });
      if (declared != project->networks.end() && declared->second.external) continue;
    }
    Step step{.action = StepAction::RemoveNetwork, .target = name, .after = removals};
    if (duplicated.count(name)) {
      step.target = network.id;
      step.subject = name;
    }
    result.plan.add(std::move(step));
  }
  addDuplicateNetworkRemovals(result.plan, project_name, observed, removal_of, result.warnings);
}

}  // namespace

PlanResult planDown(const std::string& project_name, const compose::Project* project,
                    const ObservedState& observed, const DownOptions& options) {
  PlanResult result;
  std::vector<const runtime::ContainerSummary*> containers;
  for (const auto& container : observed.containers) {
    const std::string service = label(container, compose::labels::kService);
    const bool known = !project || project->services.count(service) ||
                       project->disabled_services.count(service) ||
                       label(container, compose::labels::kOneoff) == "True";
    if (known || options.remove_orphans) containers.push_back(&container);
  }
  const auto deps = dependenciesOf(project, observed);
  auto stops = addStops(result.plan, deps, containers, options.timeout_seconds);

  std::vector<size_t> removals;
  std::map<std::string, size_t> removal_of;
  for (const auto* container : containers) {
    const std::string service = label(*container, compose::labels::kService);
    Step remove{
        .action = StepAction::RemoveContainer, .service = service, .target = container->name};
    remove.remove_volumes = options.remove_volumes;
    if (auto stop = stops.find(container->name); stop != stops.end()) remove.after = {stop->second};
    removals.push_back(result.plan.add(std::move(remove)));
    removal_of[container->name] = removals.back();
  }
  addNetworkRemovals(result, project_name, project, observed, removals, removal_of);
  if (options.remove_volumes) {
    for (const auto& [name, volume] : observed.volumes) {
      if (!ownedBy(volume.labels, project_name)) continue;
      if (project) {
        auto declared = std::find_if(project->volumes.begin(), project->volumes.end(),
                                     [&](const auto& entry) { return entry.second.name == name; });
        if (declared != project->volumes.end() && declared->second.external) continue;
      }
      result.plan.add({.action = StepAction::RemoveVolume, .target = name, .after = removals});
    }
  }
  if (project && !options.remove_images.empty()) {
    std::set<std::string> images;
    for (const auto& [name, service] : project->services) {
      if (options.remove_images == "all" || service.image.empty()) {
        images.insert(serviceImage(*project, service));
      }
    }
    for (const auto& image : images) {
      result.plan.add({.action = StepAction::RemoveImage, .target = image, .after = removals});
    }
  }
  return result;
}

PlanResult planStop(const ObservedState& observed, const std::set<std::string>& services,
                    std::optional<int> timeout_seconds) {
  PlanResult result;
  std::vector<const runtime::ContainerSummary*> containers;
  for (const auto& container : observed.containers) {
    if (services.empty() || services.count(label(container, compose::labels::kService))) {
      containers.push_back(&container);
    }
  }
  addStops(result.plan, dependenciesOf(nullptr, observed), containers, timeout_seconds);
  return result;
}

PlanResult planDuplicateNetworks(const std::string& project_name, const ObservedState& observed) {
  PlanResult result;
  addDuplicateNetworkRemovals(result.plan, project_name, observed, {}, result.warnings);
  return result;
}

}  // namespace stack::orchestrator::planner
