#pragma once

// `stack graph`: the dependency graph of a project as data (GraphView), and its renderings
// as Graphviz DOT, Mermaid and JSON. The view knows nothing of the compose model:
// compose/service_graph.hpp builds it from a project. An edge points from the dependency
// to its dependent, the order in which they start ("db -> web": db first).
//
// A recorded `up` (orchestrator/timings/) can be drawn onto the view: each node gets the
// moment it became ready, and the nodes and edges of the critical chain are marked.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stack::orchestrator::graph {

struct GraphEdge {
  std::string dependency;                     // starts first
  std::string dependent;                      // the service that declares the depends_on entry
  std::string condition = "service_started";  // service_started|service_healthy|
                                              // service_completed_successfully
  bool required = true;                       // false: `required: false`, drawn as optional
  bool restart = false;  // `restart: true`: the dependent restarts with the dependency
  // The keys that imply the edge ("links", "volumes_from", "network_mode", "ipc", "pid",
  // "uts", "cgroup"); empty for a plain depends_on entry.
  std::vector<std::string> implied_by;
  bool critical = false;  // on the critical chain of the recorded up
};

struct GraphNode {
  std::string name;
  std::vector<std::string> profiles;
  std::string image;                // the image it runs, or "" when it is only built
  bool enabled = true;              // false: disabled by its profiles (drawn greyed out)
  bool critical = false;            // on the critical chain of the recorded up
  std::optional<int64_t> ready_ms;  // when it became ready, from the start of the up
};

struct GraphView {
  std::string project;
  std::vector<GraphNode> nodes;  // sorted by name
  std::vector<GraphEdge> edges;  // sorted by (dependent, dependency)

  GraphNode* node(const std::string& name);
  GraphEdge* edge(const std::string& dependency, const std::string& dependent);
};

// "healthy" for service_healthy, "completed" for service_completed_successfully,
// "started" for service_started.
std::string conditionLabel(const std::string& condition);

// The edge's text: its condition, then ", optional", ", restart" and "(links)" as they apply.
std::string edgeLabel(const GraphEdge& edge);

// Graphviz DOT (`dot -Tsvg` renders it). Optional and implied edges are dashed, disabled
// services grey, the critical chain red and bold.
std::string renderDot(const GraphView& view);
// A Mermaid flowchart (GitHub renders it in a ```mermaid block).
std::string renderMermaid(const GraphView& view);
// {"project": ..., "services": [{"name", "profiles", "image", "enabled", "depends_on":
// [{"service", "condition", "required", "restart", "implied_by"}], ...}]}, indented.
std::string renderJson(const GraphView& view);

}  // namespace stack::orchestrator::graph
