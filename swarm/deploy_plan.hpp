#pragma once

// The deploy planner: a pure function from the stack's desired state (converter.hpp) and
// what the swarm holds to the API calls that converge them, each a single write. It is
// what `stack deploy --dry-run` prints, and what the deployer executes.
//
// Rules:
// - Networks: created when missing (matched by name among the stack's networks); never
//   updated, as docker does. External networks must exist with scope swarm.
// - Services: each desired spec gets a hash (over the spec with its secret and config
//   names settled), stored in the dev.stack.spec-hash label. A service whose label holds
//   that hash is unchanged: no write. Otherwise it is created, or updated at the version
//   it was read at, keeping its ForceUpdate counter (as docker does) so an update rolls
//   the tasks only because the spec changed.
// - Secrets and configs cannot change their data in Swarm. Each is created under its
//   preferred name (`<stack>_<key>`) when that is free; when an object of that name holds
//   other data, the new data goes under `<name>-<first 8 hex digits of its hash>` and the
//   services switch to it. Versions stack made that no service references any more are
//   removed after the services are updated.
// - With prune, services of the stack that left the file are removed (docker --prune).
//   Without it they are listed as orphans, untouched.
// - Nothing external is ever written: external networks, secrets and configs are only
//   checked to exist.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runtime/engine_types.hpp"
#include "runtime/swarm_engine.hpp"
#include "swarm/stack_spec.hpp"

namespace stack::swarm {

// What the swarm holds for a stack: everything labelled with its namespace, and the
// external objects it names (absent from the maps when missing).
struct ObservedStack {
  std::vector<runtime::SwarmService> services;
  std::vector<runtime::NetworkDetails> networks;
  std::vector<runtime::SwarmFileObject> secrets;
  std::vector<runtime::SwarmFileObject> configs;
  std::map<std::string, runtime::NetworkDetails> external_networks;  // by name
  std::map<std::string, runtime::SwarmFileObject> external_secrets;  // by name
  std::map<std::string, runtime::SwarmFileObject> external_configs;  // by name
};

enum class StepKind {
  CreateNetwork,
  CreateSecret,
  CreateConfig,
  CreateService,
  UpdateService,
  RemoveService,
  RemoveSecret,
  RemoveConfig,
};

struct DeployStep {
  StepKind kind = StepKind::CreateService;
  std::string name;      // engine name
  std::string id;        // the existing object (update, remove)
  uint64_t version = 0;  // the version an update replaces
  std::string reason;    // "new", "spec changed", "not in the file (--prune)", ...
  size_t index = 0;      // into the plan's networks, secrets, configs or services
};

// A service as it will be sent: names settled, hash label set.
struct PlannedService {
  std::string key;
  std::string name;
  Json spec;
  std::string spec_hash;
};

struct DeployPlan {
  std::string stack;
  std::vector<DeployStep> steps;
  std::vector<NetworkSpec> networks;                  // CreateNetwork steps index these
  std::vector<runtime::SwarmFileObjectSpec> secrets;  // CreateSecret steps
  std::vector<runtime::SwarmFileObjectSpec> configs;  // CreateConfig steps
  std::vector<PlannedService> services;               // every desired service, in file order
  std::vector<std::string> unchanged;                 // service names left alone
  std::vector<std::string> orphans;  // stack services not in the file (without prune)
  // Ids of the secrets and configs the services will reference that exist already, by
  // name; the deployer adds those it creates.
  std::map<std::string, std::string> secret_ids;
  std::map<std::string, std::string> config_ids;

  bool writes() const { return !steps.empty(); }
};

struct PlanOptions {
  bool prune = false;
};

// Throws stack::Error: NotFound for a missing external network, secret or config (naming
// it and saying how to create it); Config for an external network of the wrong scope.
DeployPlan planDeploy(const StackSpec& desired, const ObservedStack& observed,
                      const PlanOptions& options = {});

// The API call of a step: "POST /services/create", "POST /services/<id>/update?version=7".
std::string stepCall(const DeployStep& step);
// One line per step ("POST /services/create  demo_web  new"), then the unchanged services.
std::vector<std::string> describePlan(const DeployPlan& plan);
Json planJson(const DeployPlan& plan);

// The hash stored in dev.stack.spec-hash: sha256 over the spec without that label.
std::string specHash(const Json& spec);

}  // namespace stack::swarm
