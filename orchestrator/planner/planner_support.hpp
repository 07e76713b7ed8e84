#pragma once

// Small pure helpers the planners share: reading compose labels off observed containers
// and resolving engine names of a project's networks and volumes.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "orchestrator/compose/model.hpp"
#include "orchestrator/planner/planner.hpp"

namespace stack::orchestrator::planner {

// The label's value, or "" when absent.
std::string label(const runtime::ContainerSummary& container, std::string_view key);

// com.docker.compose.container-number, or 0 when absent or malformed.
int numberOf(const runtime::ContainerSummary& container);

// Non-one-off containers of a service, ordered by number then name.
std::vector<const runtime::ContainerSummary*> serviceContainers(const ObservedState& observed,
                                                                const std::string& service);

// The container that holds replica slot `number`: the one with the final name, else the
// newest with that number (left by an interrupted recreate). The others with that number
// are appended to `leftovers`.
const runtime::ContainerSummary* pickSlotContainer(
    const std::vector<const runtime::ContainerSummary*>& containers, int number,
    const std::string& final_name, std::vector<const runtime::ContainerSummary*>& leftovers);

// Engine names of a project's network or volume key.
std::string networkName(const compose::Project& project, const std::string& key);
std::string volumeName(const compose::Project& project, const std::string& key);

// Adds a remove step (by id) for each of the project's duplicate networks (see
// ObservedState::duplicate_networks), after the removal of the containers attached to it.
// `removals` maps container names to the steps that remove them; a duplicate that a
// container keeps using is left alone, with a warning.
void addDuplicateNetworkRemovals(Plan& plan, const std::string& project_name,
                                 const ObservedState& observed,
                                 const std::map<std::string, size_t>& removals,
                                 std::vector<std::string>& warnings);

// Adds stop + remove steps for a container; returns the remove step.
size_t addRemoval(Plan& plan, const runtime::ContainerSummary& container, std::string reason,
                  std::vector<size_t> after, std::optional<int> timeout_seconds,
                  bool remove_volumes = false);

}  // namespace stack::orchestrator::planner
