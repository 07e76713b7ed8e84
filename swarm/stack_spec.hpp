#pragma once

// The desired state of a stack on Swarm: what the converter (converter.hpp) makes of a
// resolved compose project, and what the planner (deploy_plan.hpp) compares with the
// swarm. Plain values, printable and comparable, so tests read like tables.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/engine_types.hpp"
#include "runtime/swarm_engine.hpp"
#include "swarm/swarm_names.hpp"

namespace stack::swarm {

using Json = nlohmann::json;

// docker stack deploy's labels: with them `docker stack ls/ps/services/rm` see what stack
// deployed, and stack sees what docker deployed.
inline constexpr std::string_view kNamespaceLabel = "com.docker.stack.namespace";
inline constexpr std::string_view kImageLabel = "com.docker.stack.image";
// stack's own: a hash of the spec stack sent last (services), and of the data (secrets,
// configs). An equal hash means "unchanged": no API write.
inline constexpr std::string_view kSpecHashLabel = "dev.stack.spec-hash";
inline constexpr std::string_view kContentHashLabel = "dev.stack.content-hash";

// `<stack>_<name>`: docker's naming of a stack's services, networks, secrets, configs
// and volumes.
inline std::string scopedName(std::string_view stack, std::string_view name) {
  return std::string(stack) + "_" + std::string(name);
}

// "com.docker.stack.namespace=<stack>", for list filters.
inline std::string namespaceFilter(std::string_view stack) {
  return std::string(kNamespaceLabel) + "=" + std::string(stack);
}

// What happened to a compose key that Swarm does not honour as compose does.
enum class FindingAction {
  Ignored,    // dropped: Swarm has no equivalent (--strict fails on these)
  Converted,  // honoured through another Swarm setting (restart -> restart_policy)
  Done,       // stack did it before deploying (build, push)
};

struct Finding {
  std::string service;  // service key; empty for a top-level object (then `key` names it)
  std::string key;      // "build", "depends_on.db", "networks.front.driver"
  FindingAction action = FindingAction::Ignored;
  std::string detail;  // what was done instead, for people
  bool operator==(const Finding&) const = default;
};

std::string_view actionName(FindingAction action);  // "ignored" | "converted" | "done"
// [{"service", "key", "action", "detail"}, ...] for --format json.
Json findingsJson(const std::vector<Finding>& findings);

struct NetworkSpec {
  std::string key;   // compose key
  std::string name;  // engine name
  bool external = false;
  runtime::NetworkCreateRequest create;  // unused for external ones
};

// A secret or config the stack creates.
struct FileObjectSpec {
  std::string key;
  std::string name;                   // the preferred name: `<stack>_<key>` or the file's `name:`
  std::string content_hash;           // sha256 hex of the data (or of the driver settings)
  runtime::SwarmFileObjectSpec spec;  // labels include the namespace and content hash
};

struct ServiceSpec {
  std::string key;    // compose service name
  std::string name;   // `<stack>_<key>`
  std::string image;  // as written in the file (the com.docker.stack.image label)
  // The Engine API ServiceSpec. Secrets and configs are referenced by their preferred
  // names without ids; the planner settles the names, the deployer adds the ids.
  Json spec;
};

struct StackSpec {
  std::string stack;
  std::vector<NetworkSpec> networks;  // only those some service uses
  std::vector<FileObjectSpec> secrets;
  std::vector<FileObjectSpec> configs;
  std::vector<std::string> external_secrets;  // engine names that must exist
  std::vector<std::string> external_configs;
  std::vector<ServiceSpec> services;  // in service-name order
  std::vector<Finding> findings;      // in service order, then top-level objects
};

}  // namespace stack::swarm
