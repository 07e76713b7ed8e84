#include "orchestrator/container_target.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "orchestrator/compose/labels.hpp"
#include "orchestrator/planner/planner_support.hpp"

namespace stack::orchestrator {

template <class T>
using Awaitable = boost::asio::awaitable<T>;

Awaitable<runtime::ContainerSummary> runningContainer(runtime::Engine& engine,
                                                      const std::string& project,
                                                      const std::string& service, int index) {
  runtime::ListFilter filter;
  filter.labels = {compose::labels::filter(compose::labels::kProject, project),
                   std::string(compose::labels::kConfigHash)};
  filter.all = false;
  filter.labels.push_back(compose::labels::filter(compose::labels::kService, service));
  if (index > 0)
    filter.labels.push_back(
        compose::labels::filter(compose::labels::kContainerNumber, std::to_string(index)));
  std::vector<runtime::ContainerSummary> containers = co_await engine.listContainers(filter);
  if (containers.empty()) {
    std::string message = "service \"" + service + "\" is not running";
    if (index > 0) message += " container #" + std::to_string(index);
    throw Error(ErrorKind::NotFound, message,
                "start it with `stack up -d " + service + "`; `stack ps` shows what runs");
  }
  auto rank = [](const runtime::ContainerSummary& c) {
    return std::pair(planner::label(c, compose::labels::kOneoff) == "True", planner::numberOf(c));
  };
  std::stable_sort(containers.begin(), containers.end(),
                   [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
  co_return containers.front();
}

}  // namespace stack::orchestrator
