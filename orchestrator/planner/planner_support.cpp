#include "orchestrator/planner/planner_support.hpp"

#include <algorithm>
#include <charconv>

#include "orchestrator/compose/labels.hpp"
#include "runtime/container_phase.hpp"

namespace stack::orchestrator::planner {

std::string label(const runtime::ContainerSummary& container, std::string_view key) {
  auto it = container.labels.find(std::string(key));
  return it == container.labels.end() ? std::string() : it->second;
}

int numberOf(const runtime::ContainerSummary& container) {
  const std::string text = label(container, compose::labels::kContainerNumber);
  int number = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  return ec == std::errc() && ptr == text.data() + text.size() ? number : 0;
}

std::vector<const runtime::ContainerSummary*> serviceContainers(const ObservedState& observed,
                                                                const std::string& service) {
  std::vector<const runtime::ContainerSummary*> out;
  for (const auto& container : observed.containers) {
    if (label(container, compose::labels::kService) != service) continue;
    if (label(container, compose::labels::kOneoff) == "True") continue;
    out.push_back(&container);
  }
  std::sort(out.begin(), out.end(), [](const auto* a, const auto* b) {
    return std::pair(numberOf(*a), a->name) < std::pair(numberOf(*b), b->name);
  });
  return out;
}

const runtime::ContainerSummary* pickSlotContainer(
    const std::vector<const runtime::ContainerSummary*>& containers, int number,
    const std::string& final_name, std::vector<const runtime::ContainerSummary*>& leftovers) {
  std::vector<const runtime::ContainerSummary*> candidates;
  for (const auto* container : containers) {
    if (numberOf(*container) == number) candidates.push_back(container);
  }
  if (candidates.empty()) return nullptr;
  auto chosen = std::find_if(candidates.begin(), candidates.end(),
                             [&](const auto* c) { return c->name == final_name; });
  if (chosen == candidates.end()) {
    chosen = std::max_element(candidates.begin(), candidates.end(),
                              [](const auto* a, const auto* b) { return a->created < b->created; });
  }
  for (const auto* candidate : candidates) {
    if (candidate != *chosen) leftovers.push_back(candidate);
  }
  return *chosen;
}

std::string networkName(const compose::Project& project, const std::string& key) {
  auto it = project.networks.find(key);
  return it == project.networks.end() || it->second.name.empty()
             ? compose::labels::resourceName(project.name, key)
             : it->second.name;
}

std::string volumeName(const compose::Project& project, const std::string& key) {
  auto it = project.volumes.find(key);
  return it == project.volumes.end() || it->second.name.empty()
             ? compose::labels::resourceName(project.name, key)
             : it->second.name;
}

void addDuplicateNetworkRemovals(Plan& plan, const std::string& project_name,
                                 const ObservedState& observed,
                                 const std::map<std::string, size_t>& removals,
                                 std::vector<std::string>& warnings) {
  for (const auto& network : observed.duplicate_networks) {
    auto owner = network.labels.find(std::string(compose::labels::kProject));
    if (owner == network.labels.end() || owner->second != project_name) continue;
    Step step{.action = StepAction::RemoveNetwork,
              .target = network.id,
              .subject = network.name,
              .reason = "duplicate of network " + network.name};
    std::string user;
    for (const auto& container : observed.containers) {
      auto attached = container.network_ids.find(network.name);
      if (attached == container.network_ids.end() || attached->second != network.id) continue;
      auto removal = removals.find(container.name);
      if (removal == removals.end()) {
        user = container.name;
        break;
      }
      step.after.push_back(removal->second);
    }
    if (!user.empty()) {
      warnings.push_back("network " + network.name + " exists twice; the copy " +
                         network.id.substr(0, 12) + " stays while container " + user +
                         " uses it (`stack up --force-recreate` moves it)");
      continue;
    }
    plan.add(std::move(step));
  }
}

size_t addRemoval(Plan& plan, const runtime::ContainerSummary& container, std::string reason,
                  std::vector<size_t> after, std::optional<int> timeout_seconds,
                  bool remove_volumes) {
  const std::string service = label(container, compose::labels::kService);
  if (runtime::isUp(container.state)) {
    Step stop{.action = StepAction::StopContainer,
              .service = service,
              .target = container.name,
              .after = std::move(after),
              .reason = reason};
    stop.timeout_seconds = timeout_seconds;
    after = {plan.add(std::move(stop))};
  }
  Step remove{.action = StepAction::RemoveContainer,
              .service = service,
              .target = container.name,
              .after = std::move(after),
              .reason = std::move(reason)};
  remove.remove_volumes = remove_volumes;
  return plan.add(std::move(remove));
}

}  // namespace stack::orchestrator::planner
