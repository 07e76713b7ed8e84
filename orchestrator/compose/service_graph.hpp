#pragma once

// The project's services as a dependency graph. Edges come from `depends_on`; the loader
// has already turned `links`, `network_mode`/`ipc`/`pid`/`uts`/`cgroup: service:X` and
// `volumes_from` into implicit depends_on entries, as compose does.

#include <string>
#include <vector>

#include "orchestrator/compose/model.hpp"
#include "orchestrator/graph/dependency_graph.hpp"
#include "orchestrator/graph/graph_render.hpp"

namespace stack::orchestrator::compose {

// The graph over the project's enabled services. Throws a Config error naming the cycle
// ("dependency cycle: a -> b -> a") or a required dependency that is not a service of the
// project. Optional dependencies (`required: false`) on missing services are dropped;
// `warnings` receives a line for each.
orchestrator::graph::DependencyGraph serviceGraph(const Project& project,
                                                  std::vector<std::string>* warnings = nullptr);

// What `stack graph` draws: every service (those disabled by their profiles too, marked
// so), each depends_on entry as an edge with its condition, `required` and `restart`, and
// the keys that imply it (links, volumes_from, network_mode/ipc/pid/uts/cgroup
// `service:`). Edges to services the project lacks are left out. Throws like serviceGraph
// when the enabled services have a cycle or a missing required dependency.
orchestrator::graph::GraphView graphView(const Project& project);

}  // namespace stack::orchestrator::compose
