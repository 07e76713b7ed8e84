#include "orchestrator/observe.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>

#include "orchestrator/labels.hpp"
#include "orchestrator/planner/container_spec.hpp"
#include "orchestrator/planner/planner_support.hpp"

namespace stack::orchestrator {
namespace {

using namespace boost::asio::experimental::awaitable_operators;

template <class T>
bool ownedOrNamed(const T& object, const std::string& project_name,
                  const std::set<std::string>& names) {
  auto it = object.labels.find(std::string(labels::kProject));
  return names.count(object.name) || (it != object.labels.end() && it->second == project_name);
}

}  // namespace

std::string normalizeImageReference(const std::string& reference) {
  std::string out = reference;
  for (const char* prefix : {"docker.io/library/", "index.docker.io/library/", "docker.io/"}) {
    if (out.rfind(prefix, 0) == 0) {
      out = out.substr(std::string_view(prefix).size());
      break;
    }
  }
  const auto slash = out.rfind('/');
  const auto colon = out.rfind(':');
  const bool has_tag = colon != std::string::npos && (slash == std::string::npos || colon > slash);
  if (!has_tag && out.find('@') == std::string::npos) out += ":latest";
  return out;
}

boost::asio::awaitable<ObservedState> observeProject(runtime::Engine& engine,
                                                     const std::string& project_name,
                                                     const compose::Project* project,
                                                     ObserveOptions options) {
  runtime::ListFilter by_project;
  by_project.labels = {labels::filter(labels::kProject, project_name)};
  runtime::ListFilter everything;

  auto [containers, networks, volumes] =
      co_await (engine.listContainers(by_project) && engine.listNetworks(everything) &&
                engine.listVolumes(everything));

  std::set<std::string> network_names;
  std::set<std::string> volume_names;
  if (project) {
    for (const auto& [key, _] : project->networks) network_names.insert(networkName(*project, key));
    for (const auto& [key, _] : project->volumes) volume_names.insert(volumeName(*project, key));
    network_names.insert(labels::resourceName(project->name, "default"));
  }
  ObservedState observed;
  observed.containers = std::move(containers);
  for (auto& network : networks) {
    if (ownedOrNamed(network, project_name, network_names)) {
      observed.networks[network.name] = std::move(network);
    }
  }
  for (auto& volume : volumes) {
    if (ownedOrNamed(volume, project_name, volume_names)) {
      observed.volumes[volume.name] = std::move(volume);
    }
  }
  if (project && options.images) {
    std::map<std::string, std::string> wanted;  // normalized -> as written
    for (const auto& [_, service] : project->services) {
      const std::string image = serviceImage(*project, service);
      wanted[normalizeImageReference(image)] = image;
    }
    const runtime::ListFilter all_images;
    const auto images = co_await engine.listImages(all_images);
    for (const auto& image : images) {
      for (const auto& tag : image.repo_tags) {
        if (auto it = wanted.find(tag); it != wanted.end()) observed.image_ids[it->second] = image.id;
      }
    }
  }
  co_return observed;
}

}  // namespace stack::orchestrator
