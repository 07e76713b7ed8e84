#include "orchestrator/project_volumes.hpp"

#include "orchestrator/compose/labels.hpp"

namespace stack::orchestrator {

boost::asio::awaitable<std::vector<runtime::VolumeDetails>> projectVolumes(
    runtime::Engine& engine, const std::string& project_name,
    const std::set<std::string>& services) {
  runtime::ListFilter filter;
  filter.labels = {compose::labels::filter(compose::labels::kProject, project_name)};
  const auto listed = co_await engine.listVolumes(filter);
  if (services.empty()) co_return listed;
  filter.all = false;  // compose looks at the running containers' mounts
  const auto containers = co_await engine.listContainers(filter);
  std::set<std::string> used;
  for (const auto& container : containers) {
    auto service = container.labels.find(std::string(compose::labels::kService));
    if (service == container.labels.end() || !services.count(service->second)) continue;
    for (const auto& mount : container.mounts) used.insert(mount.name);
  }
  std::vector<runtime::VolumeDetails> out;
  for (const auto& volume : listed) {
    if (used.count(volume.name)) out.push_back(volume);
  }
  co_return out;
}

}  // namespace stack::orchestrator
