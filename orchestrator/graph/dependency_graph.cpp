#include "orchestrator/graph/dependency_graph.hpp"

#include <algorithm>
#include <functional>

#include "core/error.hpp"

namespace stack::orchestrator::graph {
namespace {

const std::set<std::string>& emptySet() {
  static const std::set<std::string> empty;
  return empty;
}

// Depth-first search that reports the first cycle as "a -> b -> a".
void throwOnCycle(const std::map<std::string, std::set<std::string>>& deps) {
  enum class Mark { Unvisited, InProgress, Done };
  std::map<std::string, Mark> marks;
  std::vector<std::string> path;
  std::function<void(const std::string&)> visit = [&](const std::string& node) {
    marks[node] = Mark::InProgress;
    path.push_back(node);
    for (const auto& next : deps.at(node)) {
      if (marks[next] == Mark::InProgress) {
        auto start = std::find(path.begin(), path.end(), next);
        std::string cycle;
        for (auto it = start; it != path.end(); ++it) cycle += *it + " -> ";
        cycle += next;
        throw configError({.key_path = "services." + next + ".depends_on"},
                          "dependency cycle: " + cycle,
                          "remove one of these depends_on entries (or the link, "
                          "network_mode or volumes_from that implies it)");
      }
      if (marks[next] == Mark::Unvisited) visit(next);
    }
    path.pop_back();
    marks[node] = Mark::Done;
  };
  for (const auto& [node, _] : deps) {
    if (marks[node] == Mark::Unvisited) visit(node);
  }
}

}  // namespace

DependencyGraph DependencyGraph::fromEdges(std::map<std::string, std::set<std::string>> deps) {
  DependencyGraph graph;
  for (const auto& [name, dependencies] : deps) {
    graph.dependents_[name];
    for (const auto& dependency : dependencies) {
      graph.deps_[dependency];
      graph.dependents_[dependency].insert(name);
    }
  }
  for (auto& [name, dependencies] : deps) graph.deps_[name] = std::move(dependencies);
  throwOnCycle(graph.deps_);
  return graph;
}

const std::set<std::string>& DependencyGraph::dependenciesOf(const std::string& service) const {
  auto it = deps_.find(service);
  return it == deps_.end() ? emptySet() : it->second;
}

const std::set<std::string>& DependencyGraph::dependentsOf(const std::string& service) const {
  auto it = dependents_.find(service);
  return it == dependents_.end() ? emptySet() : it->second;
}

std::vector<std::string> DependencyGraph::services() const {
  std::vector<std::string> out;
  for (const auto& [name, _] : deps_) out.push_back(name);
  return out;
}

std::vector<std::string> DependencyGraph::startOrder() const {
  // Kahn's algorithm over a sorted ready set, so equal-rank services come by name.
  std::map<std::string, size_t> pending;
  std::set<std::string> ready;
  for (const auto& [name, deps] : deps_) {
    pending[name] = deps.size();
    if (deps.empty()) ready.insert(name);
  }
  std::vector<std::string> order;
  while (!ready.empty()) {
    std::string next = *ready.begin();
    ready.erase(ready.begin());
    order.push_back(next);
    for (const auto& dependent : dependentsOf(next)) {
      if (--pending[dependent] == 0) ready.insert(dependent);
    }
  }
  return order;
}

std::vector<std::string> DependencyGraph::stopOrder() const {
  auto order = startOrder();
  std::reverse(order.begin(), order.end());
  return order;
}

std::set<std::string> DependencyGraph::withDependencies(
    const std::set<std::string>& selected) const {
  std::set<std::string> out;
  std::vector<std::string> todo(selected.begin(), selected.end());
  while (!todo.empty()) {
    auto name = todo.back();
    todo.pop_back();
    if (!out.insert(name).second) continue;
    for (const auto& dep : dependenciesOf(name)) todo.push_back(dep);
  }
  return out;
}

std::set<std::string> DependencyGraph::withDependents(const std::set<std::string>& selected) const {
  std::set<std::string> out;
  std::vector<std::string> todo(selected.begin(), selected.end());
  while (!todo.empty()) {
    auto name = todo.back();
    todo.pop_back();
    if (!out.insert(name).second) continue;
    for (const auto& dep : dependentsOf(name)) todo.push_back(dep);
  }
  return out;
}

}  // namespace stack::orchestrator::graph
