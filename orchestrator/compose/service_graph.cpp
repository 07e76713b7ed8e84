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

namespace stack::orchestrator::compose {
namespace {

// The keys of `service` that name `dependency` and so imply a depends_on entry on it.
std::vector<std::string> impliedBy(const Service& service, const std::string& dependency) {
  std::vector<std::string> keys;
  for (const auto& link : service.links) {
    if (link.substr(0, link.find(':')) == dependency) {
      keys.push_back("links");
      break;
    }
  }
  for (const auto& from : service.volumes_from) {
    if (from.rfind("container:", 0) != 0 && from.substr(0, from.find(':')) == dependency) {
      keys.push_back("volumes_from");
      break;
    }
  }
  const std::pair<const char*, const std::string*> modes[] = {
      {"network_mode", &service.network_mode},
      {"ipc", &service.ipc},
      {"pid", &service.pid},
      {"uts", &service.uts},
      {"cgroup", &service.cgroup}};
  for (const auto& [key, value] : modes) {
    if (*value == "service:" + dependency) keys.push_back(key);
  }
  return keys;
}

}  // namespace

orchestrator::graph::GraphView graphView(const Project& project) {
  serviceGraph(project);  // the cycle and missing-dependency errors
  orchestrator::graph::GraphView view;
  view.project = project.name;
  std::map<std::string, std::pair<const Service*, bool>> all;
  for (const auto& [name, service] : project.services) all[name] = {&service, true};
  for (const auto& [name, service] : project.disabled_services)
    all.emplace(name, std::pair(&service, false));
  for (const auto& [name, entry] : all) {
    const auto& [service, enabled] = entry;
    view.nodes.push_back(
        {.name = name, .profiles = service->profiles, .image = service->image, .enabled = enabled});
    for (const auto& [dependency, spec] : service->depends_on) {
      if (!project.services.count(dependency) && !project.disabled_services.count(dependency))
        continue;
      view.edges.push_back({.dependency = dependency,
                            .dependent = name,
                            .condition = spec.condition,
                            .required = spec.required,
                            .restart = spec.restart,
                            .implied_by = impliedBy(*service, dependency)});
    }
  }
  return view;
}

}  // namespace stack::orchestrator::compose
