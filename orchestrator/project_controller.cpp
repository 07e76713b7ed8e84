#include "orchestrator/project_controller.hpp"

#include "core/log.hpp"
#include "orchestrator/labels.hpp"
#include "orchestrator/observe.hpp"
#include "orchestrator/supervisor/polling_waiter.hpp"

namespace stack::orchestrator {

ProjectController::ProjectController(runtime::Engine& engine, ProgressSink& progress,
                                     ControllerOptions options)
    : engine_(engine), progress_(progress), options_(options) {}

Awaitable<void> ProjectController::execute(const std::string& project_name,
                                           const PlanResult& planned) {
  for (const auto& warning : planned.warnings) progress_.warn(warning);
  log::get("planner")->debug("plan for {}:\n{}", project_name, planned.plan.render());
  if (options_.dry_run) {
    for (const auto& step : planned.plan.steps()) {
      progress_.emit({"DRY-RUN", step.target, step.describe(), ProgressState::Done});
    }
    co_return;
  }
  PollingWaiter waiter(engine_, project_name, {.deadline = options_.dependency_deadline});
  PlanExecutor executor(engine_, waiter, progress_, {.parallel_limit = options_.parallel_limit});
  co_await executor.run(planned.plan);
}

Awaitable<Plan> ProjectController::up(const compose::Project& project, const UpOptions& options) {
  const DesiredState desired = desiredState(project);
  ObservedState observed = co_await observeProject(engine_, project.name, &project);
  PlanResult planned = planUp(project, desired, observed, options);
  co_await execute(project.name, planned);
  co_return std::move(planned.plan);
}

Awaitable<Plan> ProjectController::down(const std::string& project_name,
                                        const compose::Project* project,
                                        const DownOptions& options) {
  const ObserveOptions without_images{.images = false};
  ObservedState observed = co_await observeProject(engine_, project_name, project, without_images);
  PlanResult planned = planDown(project_name, project, observed, options);
  co_await execute(project_name, planned);
  co_return std::move(planned.plan);
}

Awaitable<Plan> ProjectController::stop(const std::string& project_name,
                                        const std::set<std::string>& services,
                                        std::optional<int> timeout_seconds) {
  const ObserveOptions without_images{.images = false};
  ObservedState observed = co_await observeProject(engine_, project_name, nullptr, without_images);
  PlanResult planned = planStop(observed, services, timeout_seconds);
  co_await execute(project_name, planned);
  co_return std::move(planned.plan);
}

Awaitable<std::vector<runtime::ContainerSummary>> ProjectController::ps(
    const std::string& project_name, bool all) {
  runtime::ListFilter filter;
  filter.labels = {labels::filter(labels::kProject, project_name)};
  filter.all = all;
  co_return co_await engine_.listContainers(filter);
}

}  // namespace stack::orchestrator
