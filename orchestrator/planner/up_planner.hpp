#pragma once

// Internal to the planner: the state of one planUp() run. See planner.hpp for the
// contract; up_planner.cpp decides what each replica needs, up_planner_steps.cpp turns the
// decisions into plan steps.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "orchestrator/graph/dependency_graph.hpp"
#include "orchestrator/planner/planner.hpp"

namespace stack::orchestrator::planner::detail {

// What happens to one replica slot of a service.
enum class SlotAction { Keep, Start, Create, Recreate };

struct Slot {
  int number = 0;
  SlotAction action = SlotAction::Keep;
  const runtime::ContainerSummary* current = nullptr;  // the existing container, if any
  std::string reason;
};

struct ServiceDecision {
  std::vector<Slot> slots;
  std::vector<const runtime::ContainerSummary*> surplus;  // scaled away or leftovers
  bool recreated = false;                                 // some slot is created or recreated
  bool restart = false;  // running containers restart because a dependency was recreated
};

class UpPlanner {
 public:
  UpPlanner(const compose::Project& project, const DesiredState& desired,
            const ObservedState& observed, const UpOptions& options);
  PlanResult run();

 private:
  // Decisions (up_planner.cpp).
  void selectServices();
  bool mustRecreate(const compose::Service& service, const runtime::ContainerSummary& container,
                    std::string& reason) const;
  ServiceDecision decide(const compose::Service& service) const;
  void markRestarts();

  // Steps (up_planner_steps.cpp).
  void planNetworks();
  void planVolumes();
  void planOrphans();
  void planDuplicateNetworks();
  void planRestartStops(const std::string& name);
  void planService(const compose::Service& service);
  std::vector<size_t> gatesFor(const compose::Service& service);
  std::vector<size_t> resourcesFor(const compose::Service& service) const;
  std::vector<size_t> dependentStops(const std::string& name) const;
  size_t addCreate(const compose::Service& service, const Slot& slot, const std::string& name,
                   const std::vector<size_t>& before, std::vector<size_t>& ready);
  size_t addCopy(const compose::Service& service, const std::string& container,
                 std::vector<runtime::ContainerFile> files, std::vector<size_t> after);
  // `before`: what the create waits for (resources, removals of the slot's leftovers).
  void planSlot(const compose::Service& service, const Slot& slot, const std::vector<size_t>& gates,
                const std::vector<size_t>& before);
  // addRemoval, remembering the step for planDuplicateNetworks.
  size_t remove(const runtime::ContainerSummary& container, std::string reason,
                std::vector<size_t> after);

  const compose::Project& project_;
  const DesiredState& desired_;
  const ObservedState& observed_;
  const UpOptions& options_;
  PlanResult result_;
  graph::DependencyGraph graph_;
  std::set<std::string> selected_;
  std::map<std::string, ServiceDecision> decisions_;
  std::map<std::string, size_t> network_steps_;                  // network key -> create step
  std::map<std::string, size_t> volume_steps_;                   // volume key -> create step
  std::map<std::string, std::vector<size_t>> restart_stops_;     // service -> its stop steps
  std::map<std::string, std::vector<size_t>> started_;           // service -> its start steps
  std::map<std::pair<std::string, std::string>, size_t> gates_;  // (service, condition)
  std::map<std::string, size_t> removals_;  // container name -> its remove step
};

}  // namespace stack::orchestrator::planner::detail
