#include "orchestrator/compose/config_query.hpp"

#include <set>

#include "core/error.hpp"
#include "orchestrator/compose/config_hash.hpp"
#include "orchestrator/compose/service_graph.hpp"

namespace stack::orchestrator::compose {
namespace {

template <typename Map>
std::vector<std::string> keys(const Map& map) {
  std::vector<std::string> out;
  for (const auto& [key, _] : map) out.push_back(key);
  return out;
}

}  // namespace

std::vector<std::string> listConfig(const Project& project, ConfigListing what) {
  switch (what) {
    case ConfigListing::Services:
      return serviceGraph(project).startOrder();
    case ConfigListing::Volumes:
      return keys(project.volumes);
    case ConfigListing::Networks:
      return keys(project.networks);
    case ConfigListing::Images: {
      std::vector<std::string> out;
      for (const auto& [name, service] : project.services) {
        out.push_back(!service.image.empty() ? service.image : project.name + "-" + name);
      }
      return out;
    }
    case ConfigListing::Profiles: {
      std::set<std::string> profiles;
      for (const auto* services : {&project.services, &project.disabled_services}) {
        for (const auto& [_, service] : *services)
          profiles.insert(service.profiles.begin(), service.profiles.end());
      }
      return {profiles.begin(), profiles.end()};
    }
  }
  return {};
}

std::vector<std::string> configHashes(const Project& project, const std::string& selection) {
  std::set<std::string> names;
  if (selection == "*") {
    for (const auto& [name, _] : project.services) names.insert(name);
  } else {
    size_t start = 0;
    while (start <= selection.size()) {
      size_t end = std::min(selection.find(',', start), selection.size());
      std::string name = selection.substr(start, end - start);
      if (!name.empty()) {
        if (!project.services.count(name)) {
          throw configError({.key_path = "services"}, "no such service: \"" + name + "\"");
        }
        names.insert(name);
      }
      start = end + 1;
    }
  }
  std::vector<std::string> out;
  for (const auto& name : names)
    out.push_back(name + " " + serviceConfigHash(project, project.services.at(name)));
  return out;
}

}  // namespace stack::orchestrator::compose
