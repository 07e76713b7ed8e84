#pragma once

// The service dependency graph of a project. Edges come from `depends_on`; the loader has
// already turned `links`, `network_mode`/`ipc`/`pid`/`uts`/`cgroup: service:X` and
// `volumes_from` into implicit depends_on entries, as compose does, so this is the one
// place where ordering is decided.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "orchestrator/compose/model.hpp"

namespace stack::orchestrator {

class DependencyGraph {
 public:
  // Builds the graph over the project's enabled services. Throws a Config error naming
  // the cycle ("dependency cycle: a -> b -> a") or a required dependency that is not a
  // service of the project. Optional dependencies (`required: false`) on missing services
  // are dropped; `warnings` receives a line for each.
  static DependencyGraph build(const compose::Project& project,
                               std::vector<std::string>* warnings = nullptr);

  // Services `service` depends on directly, sorted.
  const std::set<std::string>& dependenciesOf(const std::string& service) const;
  // Services that depend directly on `service`, sorted.
  const std::set<std::string>& dependentsOf(const std::string& service) const;
  bool contains(const std::string& service) const { return deps_.count(service) != 0; }
  std::vector<std::string> services() const;

  // Dependencies before dependents; ties broken by name so the order is stable.
  std::vector<std::string> startOrder() const;
  // Dependents before dependencies: the order for stop and down.
  std::vector<std::string> stopOrder() const;

  // `selected` plus everything they depend on, transitively.
  std::set<std::string> withDependencies(const std::set<std::string>& selected) const;
  // `selected` plus everything that depends on them, transitively.
  std::set<std::string> withDependents(const std::set<std::string>& selected) const;

 private:
  std::map<std::string, std::set<std::string>> deps_;
  std::map<std::string, std::set<std::string>> dependents_;
};

}  // namespace stack::orchestrator
