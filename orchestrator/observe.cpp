#include "orchestrator/observe.hpp"

#include <algorithm>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <tuple>

#include "orchestrator/compose/labels.hpp"
#include "orchestrator/images/image_reference.hpp"
#include "orchestrator/planner/container_spec.hpp"
#include "orchestrator/planner/planner_support.hpp"

namespace stack::orchestrator {
namespace {

using namespace boost::asio::experimental::awaitable_operators;

template <class T>
bool ownedOrNamed(const T& object, const std::string& project_name,
                  const std::set<std::string>& names) {
  auto it = object.labels.find(std::string(compose::labels::kProject));
  return names.count(object.name) || (it != object.labels.end() && it->second == project_name);
}

// How many of the project's containers are attached to the network, by id.
size_t usersOf(const planner::ObservedState& observed, const runtime::NetworkDetails& network) {
  size_t users = 0;
  for (const auto& container : observed.containers) {
    auto it = container.network_ids.find(network.name);
    if (it != container.network_ids.end() && it->second == network.id) ++users;
  }
  return users;
}

}  // namespace

void keepNetworks(planner::ObservedState& observed, std::vector<runtime::NetworkDetails> networks) {
  // Most used first, then by id, so the choice among duplicates is the same every run.
  std::vector<std::pair<size_t, runtime::NetworkDetails>> ranked;
  for (auto& network : networks) {
    ranked.emplace_back(usersOf(observed, network), std::move(network));
  }
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return std::tie(b.first, a.second.id) < std::tie(a.first, b.second.id);
  });
  for (auto& [_, network] : ranked) {
    if (observed.networks.count(network.name)) {
      observed.duplicate_networks.push_back(std::move(network));
    } else {
      const std::string name = network.name;
      observed.networks.emplace(name, std::move(network));
    }
  }
}

boost::asio::awaitable<planner::ObservedState> observeProject(runtime::Engine& engine,
                                                              const std::string& project_name,
                                                              const compose::Project* project,
                                                              ObserveOptions options) {
  runtime::ListFilter by_project;
  by_project.labels = {compose::labels::filter(compose::labels::kProject, project_name)};
  runtime::ListFilter everything;

  auto [containers, networks, volumes] =
      co_await (engine.listContainers(by_project) && engine.listNetworks(everything) &&
                engine.listVolumes(everything));

  std::set<std::string> network_names;
  std::set<std::string> volume_names;
  if (project) {
    for (const auto& [key, _] : project->networks)
      network_names.insert(planner::networkName(*project, key));
    for (const auto& [key, _] : project->volumes)
      volume_names.insert(planner::volumeName(*project, key));
    network_names.insert(compose::labels::resourceName(project->name, "default"));
  }
  planner::ObservedState observed;
  observed.containers = std::move(containers);
  std::erase_if(networks, [&](const runtime::NetworkDetails& network) {
    return !ownedOrNamed(network, project_name, network_names);
  });
  keepNetworks(observed, std::move(networks));
  for (auto& volume : volumes) {
    if (ownedOrNamed(volume, project_name, volume_names)) {
      observed.volumes[volume.name] = std::move(volume);
    }
  }
  if (project && options.images) {
    std::map<std::string, std::string> wanted;  // normalized -> as written
    for (const auto& [_, service] : project->services) {
      const std::string image = serviceImage(*project, service);
      wanted[images::normalizeImageReference(image)] = image;
    }
    const runtime::ListFilter all_images;
    const auto images = co_await engine.listImages(all_images);
    for (const auto& image : images) {
      for (const auto& tag : image.repo_tags) {
        if (auto it = wanted.find(tag); it != wanted.end())
          observed.image_ids[it->second] = image.id;
      }
    }
  }
  co_return observed;
}

}  // namespace stack::orchestrator
