// Plans of the lifecycle commands: start, restart, pause, unpause, kill and rm.

#include "orchestrator/planner/planner_lifecycle.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <vector>

#include "core/error.hpp"
#include "orchestrator/compose/labels.hpp"
#include "orchestrator/compose/service_graph.hpp"
#include "orchestrator/planner/planner_support.hpp"
#include "runtime/container_phase.hpp"

namespace stack::orchestrator::planner {
namespace {

using StepsByService = std::map<std::string, std::vector<Step>>;
// The step a container needs, if any.
using StepFor = std::function<std::optional<Step>(const runtime::ContainerSummary&)>;

bool isUp(const runtime::ContainerSummary& container) {
  return runtime::isUp(container.state);
}

void requireServices(const compose::Project& project, const std::set<std::string>& services) {
  for (const auto& name : services) {
    if (!project.services.count(name)) {
      throw Error(ErrorKind::Usage, "no such service: " + name,
                  "`stack ps -a --services` lists the services that have containers");
    }
  }
}

std::set<std::string> allServices(const compose::Project& project) {
  std::set<std::string> out;
  for (const auto& [name, _] : project.services) out.insert(name);
  return out;
}

void sortUnique(std::vector<size_t>& ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}

Step containerStep(StepAction action, const runtime::ContainerSummary& container,
                   std::string reason = {}) {
  return Step{.action = action,
              .service = label(container, compose::labels::kService),
              .target = container.name,
              .reason = std::move(reason)};
}

// Adds the steps of the selected services, dependencies first: a service's steps come
// after one AwaitDependency gate per depends_on entry on a selected service, and each gate
// after its dependency's own steps. Services without steps get no gates.
void addForward(Plan& plan, const compose::Project& project, const graph::DependencyGraph& graph,
                const std::set<std::string>& selected, const ObservedState& observed,
                const StepFor& step_for) {
  std::map<std::string, std::vector<size_t>> done;
  std::map<std::pair<std::string, std::string>, size_t> gates;
  for (const auto& name : graph.startOrder()) {
    if (!selected.count(name)) continue;
    std::vector<Step> steps;
    for (const auto* container : serviceContainers(observed, name)) {
      if (auto step = step_for(*container)) steps.push_back(std::move(*step));
    }
    if (steps.empty()) continue;
    std::vector<size_t> after;
    for (const auto& [dependency, spec] : project.services.at(name).depends_on) {
      if (!selected.count(dependency) || !graph.contains(dependency)) continue;
      const auto key = std::pair(dependency, spec.condition);
      auto gate = gates.find(key);
      if (gate == gates.end()) {
        Step wait{.action = StepAction::AwaitDependency,
                  .service = dependency,
                  .target = dependency,
                  .subject = spec.condition,
                  .after = done[dependency]};
        wait.optional = !spec.required;
        gate = gates.emplace(key, plan.add(std::move(wait))).first;
      }
      after.push_back(gate->second);
    }
    for (auto& step : steps) {
      step.after = after;
      done[name].push_back(plan.add(std::move(step)));
    }
  }
}

// Adds the steps dependents first: each service's steps come after those of the services
// that depend on it; a service without steps passes its dependents' steps on, so the order
// holds transitively. Steps of services outside the graph (orphans) have no order.
// Returns the step of each container, by container name.
std::map<std::string, size_t> addReverse(Plan& plan, const graph::DependencyGraph& graph,
                                         StepsByService steps) {
  std::map<std::string, std::vector<size_t>> done;
  std::map<std::string, size_t> by_container;
  for (const auto& name : graph.stopOrder()) {
    std::vector<size_t> after;
    for (const auto& dependent : graph.dependentsOf(name)) {
      after.insert(after.end(), done[dependent].begin(), done[dependent].end());
    }
    sortUnique(after);
    auto it = steps.find(name);
    if (it == steps.end() || it->second.empty()) {
      done[name] = std::move(after);
      continue;
    }
    for (auto& step : it->second) {
      step.after = after;
      const std::string target = step.target;
      by_container[target] = plan.add(std::move(step));
      done[name].push_back(by_container[target]);
    }
  }
  for (auto& [name, service_steps] : steps) {
    if (graph.contains(name)) continue;
    for (auto& step : service_steps) {
      const std::string target = step.target;
      by_container[target] = plan.add(std::move(step));
    }
  }
  return by_container;
}

// Entries of a com.docker.compose.depends_on label.
std::map<std::string, compose::DependsOn> parseDependsOn(const std::string& text) {
  std::map<std::string, compose::DependsOn> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    const std::string entry = text.substr(start, comma - start);
    start = comma + 1;
    const size_t first = entry.find(':');
    const std::string name = entry.substr(0, first);
    if (name.empty()) continue;
    compose::DependsOn dependency;
    dependency.restart = true;  // compose's default when the label does not say
    if (first != std::string::npos) {
      const size_t second = entry.find(':', first + 1);
      dependency.condition = entry.substr(first + 1, second - first - 1);
      if (second != std::string::npos) dependency.restart = entry.substr(second + 1) == "true";
    }
    if (dependency.condition.empty()) dependency.condition = "service_started";
    out[name] = dependency;
  }
  return out;
}

// Steps for every selected service's non-one-off containers, per service.
StepsByService stepsFor(const ObservedState& observed, const std::set<std::string>& selected,
                        const StepFor& step_for) {
  StepsByService out;
  for (const auto& name : selected) {
    for (const auto* container : serviceContainers(observed, name)) {
      if (auto step = step_for(*container)) out[name].push_back(std::move(*step));
    }
  }
  return out;
}

PlanResult planEach(const compose::Project& project, const ObservedState& observed,
                    const std::set<std::string>& services, const StepFor& step_for) {
  requireServices(project, services);
  PlanResult result;
  const auto selected = services.empty() ? allServices(project) : services;
  for (auto& [_, steps] : stepsFor(observed, selected, step_for)) {
    for (auto& step : steps) result.plan.add(std::move(step));
  }
  return result;
}

}  // namespace

compose::Project projectFromLabels(const std::string& name, const ObservedState& observed) {
  compose::Project project;
  project.name = name;
  std::map<std::string, std::string> depends_on;
  for (const auto& container : observed.containers) {
    if (label(container, compose::labels::kOneoff) == "True") continue;
    const std::string service = label(container, compose::labels::kService);
    if (service.empty()) continue;
    project.services[service].name = service;
    project.services[service].image = container.image;
    depends_on.try_emplace(service, label(container, compose::labels::kDependsOn));
    if (project.working_dir.empty())
      project.working_dir = label(container, compose::labels::kWorkingDir);
  }
  for (auto& [service_name, service] : project.services) {
    for (auto& [dependency, spec] : parseDependsOn(depends_on[service_name])) {
      if (project.services.count(dependency)) service.depends_on[dependency] = spec;
    }
  }
  return project;
}

PlanResult planStart(const compose::Project& project, const ObservedState& observed,
                     const StartOptions& options) {
  requireServices(project, options.services);
  PlanResult result;
  const auto graph = compose::serviceGraph(project, &result.warnings);
  const auto selected =
      options.services.empty() ? allServices(project) : graph.withDependencies(options.services);
  for (const auto& name : options.services) {
    if (serviceContainers(observed, name).empty()) {
      throw Error(ErrorKind::NotFound, "service \"" + name + "\" has no container to start",
                  "create it with `stack create " + name + "` or `stack up -d " + name + "`");
    }
  }
  const bool any = std::any_of(selected.begin(), selected.end(), [&](const std::string& name) {
    return !serviceContainers(observed, name).empty();
  });
  if (!any) {
    throw Error(ErrorKind::NotFound, "project \"" + project.name + "\" has no container to start",
                "create the containers with `stack create` or `stack up -d`");
  }
  addForward(result.plan, project, graph, selected, observed, [&](const auto& container) {
    std::optional<Step> step;
    if (container.state == "created" || container.state == "exited") {
      step = containerStep(StepAction::StartContainer, container);
    } else if (container.state == "paused") {
      result.warnings.push_back("container " + container.name +
                                " is paused: `stack unpause` resumes it");
    }
    return step;
  });
  return result;
}

PlanResult planRestart(const compose::Project& project, const ObservedState& observed,
                       const RestartOptions& options) {
  requireServices(project, options.services);
  // Only the services restart touches, and only the dependencies that ask to restart with
  // their dependency: those order the restarts (and gate them on their conditions).
  compose::Project scoped = project;
  if (options.no_deps && !options.services.empty()) {
    std::erase_if(scoped.services,
                  [&](const auto& entry) { return !options.services.count(entry.first); });
  }
  for (auto& [_, service] : scoped.services) {
    std::erase_if(service.depends_on, [&](const auto& entry) {
      return !entry.second.restart || !scoped.services.count(entry.first);
    });
  }
  PlanResult result;
  const auto graph = compose::serviceGraph(scoped, &result.warnings);
  const auto selected =
      options.services.empty() ? allServices(scoped) : graph.withDependents(options.services);
  addForward(result.plan, scoped, graph, selected, observed, [&](const auto& container) {
    Step step = containerStep(StepAction::RestartContainer, container);
    step.timeout_seconds = options.timeout_seconds;
    return std::optional<Step>(std::move(step));
  });
  return result;
}

PlanResult planPause(const compose::Project& project, const ObservedState& observed,
                     const std::set<std::string>& services) {
  return planEach(project, observed, services, [](const auto& container) {
    std::optional<Step> step;
    if (container.state == "running") step = containerStep(StepAction::PauseContainer, container);
    return step;
  });
}

PlanResult planUnpause(const compose::Project& project, const ObservedState& observed,
                       const std::set<std::string>& services) {
  return planEach(project, observed, services, [](const auto& container) {
    std::optional<Step> step;
    if (container.state == "paused") step = containerStep(StepAction::UnpauseContainer, container);
    return step;
  });
}

PlanResult planKill(const compose::Project& project, const ObservedState& observed,
                    const KillOptions& options) {
  requireServices(project, options.services);
  PlanResult result;
  const auto graph = compose::serviceGraph(project, &result.warnings);
  StepsByService steps;
  for (const auto& container : observed.containers) {
    const std::string service = label(container, compose::labels::kService);
    if (!isUp(container)) continue;
    if (!options.services.empty() && !options.services.count(service)) continue;
    if (!options.remove_orphans && !project.services.count(service)) continue;
    Step kill = containerStep(StepAction::KillContainer, container);
    kill.subject = options.signal;
    steps[service].push_back(std::move(kill));
  }
  addReverse(result.plan, graph, std::move(steps));
  return result;
}

PlanResult planRemove(const compose::Project& project, const ObservedState& observed,
                      const RemoveContainersOptions& options) {
  requireServices(project, options.services);
  PlanResult result;
  const auto graph = compose::serviceGraph(project, &result.warnings);
  const auto selected = options.services.empty() ? allServices(project) : options.services;
  std::map<std::string, size_t> stops;
  if (options.stop) {
    stops = addReverse(result.plan, graph, stepsFor(observed, selected, [](const auto& c) {
                         std::optional<Step> step;
                         if (isUp(c)) step = containerStep(StepAction::StopContainer, c);
                         return step;
                       }));
  }
  for (const auto& name : selected) {
    for (const auto* container : serviceContainers(observed, name)) {
      auto stop = stops.find(container->name);
      if (stop == stops.end() && (isUp(*container) || container->state == "removing")) continue;
      Step remove = containerStep(StepAction::RemoveContainer, *container);
      remove.remove_volumes = options.volumes;
      if (stop != stops.end()) remove.after = {stop->second};
      result.plan.add(std::move(remove));
    }
  }
  return result;
}

}  // namespace stack::orchestrator::planner
