#include "orchestrator/compose/service_graph.hpp"

#include "core/error.hpp"

namespace stack::orchestrator::compose {

orchestrator::graph::DependencyGraph serviceGraph(const Project& project,
                                                  std::vector<std::string>* warnings) {
  std::map<std::string, std::set<std::string>> deps;
  for (const auto& [name, service] : project.services) {
    auto& edges = deps[name];
    for (const auto& [dependency, spec] : service.depends_on) {
      if (!project.services.count(dependency)) {
        if (!spec.required) {
          if (warnings) {
            warnings->push_back("service \"" + name + "\": optional dependency \"" + dependency +
                                "\" is not part of the project; ignoring it");
          }
          continue;
        }
        std::string why =
            project.disabled_services.count(dependency)
                ? "depends on service \"" + dependency + "\", which is disabled by its profiles"
                : "depends on undefined service \"" + dependency + "\"";
        throw configError({.key_path = "services." + name + ".depends_on." + dependency},
                          "service \"" + name + "\" " + why,
                          project.disabled_services.count(dependency)
                              ? "enable the profile with --profile, or name the service"
                              : "define the service, or remove the dependency");
      }
      edges.insert(dependency);
    }
  }
  return orchestrator::graph::DependencyGraph::fromEdges(std::move(deps));
}

}  // namespace stack::orchestrator::compose
