#pragma once

// The service dependency graph of a project: who depends on whom, and the orders that
// follow. It knows nothing of the compose model: compose/service_graph.hpp builds it from
// `depends_on`, so this is the one place where ordering is decided.

#include <map>
#include <set>
#include <string>
#include <vector>

namespace stack::orchestrator::graph {

class DependencyGraph {
 public:
  // `deps` maps each service to the services it depends on; a dependency that is not a
  // key becomes a service without dependencies. Throws a Config error naming the first
  // cycle ("dependency cycle: a -> b -> a") at the key services.<name>.depends_on.
  static DependencyGraph fromEdges(std::map<std::string, std::set<std::string>> deps);

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

}  // namespace stack::orchestrator::graph
