#pragma once

// The planner: pure functions from (desired project, observed engine state, options) to a
// Plan of single engine calls. Nothing here talks to the engine or reads files, so every
// decision (what to create, recreate, start, stop, remove, and in which order) is
// testable as data.

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "orchestrator/compose/model.hpp"
#include "orchestrator/images/image_options.hpp"
#include "orchestrator/planner/plan.hpp"
#include "runtime/engine_types.hpp"

namespace stack::orchestrator::planner {

// What the engine has for one project, gathered with one list call per object kind.
struct ObservedState {
  std::vector<runtime::ContainerSummary> containers;        // every container of the project
  std::map<std::string, runtime::NetworkDetails> networks;  // relevant networks, by name
  // Further networks named like one in `networks`. dockerd does not serialize creates by
  // name, so a create still in flight when an `up` was killed can land beside the one the
  // next `up` creates. `networks` holds the one the project's containers use most.
  std::vector<runtime::NetworkDetails> duplicate_networks;
  std::map<std::string, runtime::VolumeDetails> volumes;  // relevant volumes, by name
  std::map<std::string, std::string> image_ids;           // image reference -> local id
};

// Desired state that is not in the model because computing it reads files.
struct DesiredState {
  std::map<std::string, std::string> config_hashes;  // service -> config hash
};

struct UpOptions {
  std::set<std::string> services;  // empty: every enabled service
  bool no_deps = false;
  bool force_recreate = false;
  bool no_recreate = false;
  bool always_recreate_deps = false;
  bool remove_orphans = false;
  bool no_start = false;
  std::map<std::string, int> scale;    // --scale SERVICE=N
  std::optional<int> timeout_seconds;  // -t for the stops a recreate does
  // Network keys to ensure even when no selected service uses them: the networks of the
  // one-off container `run` creates after the plan.
  std::set<std::string> extra_networks;
  // Not used by the planner: after the plan, wait until the services are ready (--wait).
  bool wait = false;
  std::optional<std::chrono::milliseconds> wait_timeout;
  // Not used by the planner: how images are built and pulled before it runs (images/).
  images::ImageOptions images;
};

struct DownOptions {
  bool remove_volumes = false;  // -v: named (non-external) and anonymous volumes
  bool remove_orphans = false;
  std::string remove_images;  // "", "local" or "all"
  std::optional<int> timeout_seconds;
};

struct PlanResult {
  Plan plan;
  std::vector<std::string> warnings;
};

// The replicas a service should have: --scale, then `scale`, then deploy.replicas, else 1.
int desiredReplicas(const compose::Service& service, const UpOptions& options);

// Converges the project. Throws a Config or NotFound error for an external network or
// volume that does not exist, and for `container_name` with more than one replica.
PlanResult planUp(const compose::Project& project, const DesiredState& desired,
                  const ObservedState& observed, const UpOptions& options);

// Tears the project down. `project` may be null: then everything carrying the project
// label is the project, and the stop order comes from the depends_on labels.
PlanResult planDown(const std::string& project_name, const compose::Project* project,
                    const ObservedState& observed, const DownOptions& options);

// Removes the project's duplicate networks that no container uses (see ObservedState).
PlanResult planDuplicateNetworks(const std::string& project_name, const ObservedState& observed);

// Stops (or, with `remove`, removes) the given services' containers in reverse dependency
// order; all of them when `services` is empty.
PlanResult planStop(const ObservedState& observed, const std::set<std::string>& services,
                    std::optional<int> timeout_seconds);

}  // namespace stack::orchestrator::planner
