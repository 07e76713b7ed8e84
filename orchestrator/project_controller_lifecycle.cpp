// ProjectController: start, restart, pause, unpause, kill and rm. Each observes the
// project's containers with one list call, plans (planner_lifecycle.hpp), then prints the
// plan (--dry-run) or runs it.

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/this_coro.hpp>

#include "core/async.hpp"
#include "orchestrator/compose/labels.hpp"
#include "orchestrator/compose/service_graph.hpp"
#include "orchestrator/planner/planner_support.hpp"
#include "orchestrator/project_controller.hpp"
#include "orchestrator/supervisor/supervisor.hpp"

namespace stack::orchestrator {
using namespace boost::asio::experimental::awaitable_operators;

namespace {

// Gates that can only be service_started: nothing to wait for.
class NoGates final : public executor::DependencyWaiter {
 public:
  Awaitable<void> await(const std::string&, const std::string&) override { co_return; }
};

// What a lifecycle command plans from: the project's containers, one-off ones included,
// from one list call (networks and volumes are not these commands' to touch), and the
// model, which is the loaded project or else one rebuilt from the containers' labels.
struct Scope {
  planner::ObservedState observed;
  std::optional<compose::Project> rebuilt;

  const compose::Project& model(const compose::Project* project) const {
    return project ? *project : *rebuilt;
  }
};

Awaitable<Scope> observeScope(runtime::Engine& engine, const std::string& project_name,
                              const compose::Project* project) {
  runtime::ListFilter filter;
  filter.labels = {compose::labels::filter(compose::labels::kProject, project_name)};
  Scope scope;
  scope.observed.containers = co_await engine.listContainers(filter);
  if (!project) scope.rebuilt = planner::projectFromLabels(project_name, scope.observed);
  co_return scope;
}

// The services --wait waits for: the selection (with its dependencies) that has
// containers; a service without any was not started and can never be ready.
std::set<std::string> servicesToWaitFor(const compose::Project& project,
                                        const planner::ObservedState& observed,
                                        const std::set<std::string>& named) {
  std::set<std::string> selected;
  if (named.empty()) {
    for (const auto& [name, _] : project.services) selected.insert(name);
  } else {
    selected = compose::serviceGraph(project).withDependencies(named);
  }
  std::erase_if(selected, [&](const std::string& name) {
    return planner::serviceContainers(observed, name).empty();
  });
  return selected;
}

}  // namespace

Awaitable<planner::Plan> ProjectController::start(const std::string& project_name,
                                                  const compose::Project* project,
                                                  const planner::StartOptions& options) {
  const Scope scope = co_await observeScope(engine_, project_name, project);
  const compose::Project& model = scope.model(project);
  const planner::ObservedState& observed = scope.observed;
  planner::PlanResult planned = planner::planStart(model, observed, options);
  std::set<std::string> wait_for;
  if (options.wait) wait_for = servicesToWaitFor(model, observed, options.services);
  co_await executeSupervised(model, planned, wait_for, options.wait_timeout);
  co_return std::move(planned.plan);
}

Awaitable<planner::Plan> ProjectController::restart(const std::string& project_name,
                                                    const compose::Project* project,
                                                    const planner::RestartOptions& options) {
  const Scope scope = co_await observeScope(engine_, project_name, project);
  const compose::Project& model = scope.model(project);
  const planner::ObservedState& observed = scope.observed;
  planner::PlanResult planned = planner::planRestart(model, observed, options);
  const std::set<std::string> no_wait;
  co_await executeSupervised(model, planned, no_wait, std::nullopt);
  co_return std::move(planned.plan);
}

Awaitable<planner::Plan> ProjectController::pause(const std::string& project_name,
                                                  const compose::Project* project,
                                                  const std::set<std::string>& services) {
  const Scope scope = co_await observeScope(engine_, project_name, project);
  planner::PlanResult planned = planner::planPause(scope.model(project), scope.observed, services);
  NoGates waiter;
  co_await execute(planned, waiter);
  co_return std::move(planned.plan);
}

Awaitable<planner::Plan> ProjectController::unpause(const std::string& project_name,
                                                    const compose::Project* project,
                                                    const std::set<std::string>& services) {
  const Scope scope = co_await observeScope(engine_, project_name, project);
  planner::PlanResult planned =
      planner::planUnpause(scope.model(project), scope.observed, services);
  NoGates waiter;
  co_await execute(planned, waiter);
  co_return std::move(planned.plan);
}

Awaitable<planner::Plan> ProjectController::kill(const std::string& project_name,
                                                 const compose::Project* project,
                                                 const planner::KillOptions& options) {
  const Scope scope = co_await observeScope(engine_, project_name, project);
  planner::PlanResult planned = planner::planKill(scope.model(project), scope.observed, options);
  NoGates waiter;
  co_await execute(planned, waiter);
  co_return std::move(planned.plan);
}

Awaitable<planner::Plan> ProjectController::remove(const std::string& project_name,
                                                   const compose::Project* project,
                                                   const planner::RemoveContainersOptions& options,
                                                   const RemovalConfirmation& confirm) {
  const Scope scope = co_await observeScope(engine_, project_name, project);
  planner::PlanResult planned = planner::planRemove(scope.model(project), scope.observed, options);
  std::vector<std::string> names;
  for (const auto& step : planned.plan.steps()) {
    if (step.action == planner::StepAction::RemoveContainer) names.push_back(step.target);
  }
  planner::Plan nothing;
  if (names.empty()) co_return nothing;
  const bool confirmed = co_await confirm(names);
  if (!confirmed) co_return nothing;
  NoGates waiter;
  co_await execute(planned, waiter);
  co_return std::move(planned.plan);
}

}  // namespace stack::orchestrator
