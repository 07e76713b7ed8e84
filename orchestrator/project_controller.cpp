#include "orchestrator/project_controller.hpp"

#include <algorithm>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/this_coro.hpp>
#include <set>

#include "core/async.hpp"
#include "core/log.hpp"
#include "orchestrator/compose/labels.hpp"
#include "orchestrator/compose/service_graph.hpp"
#include "orchestrator/images/image_preparer.hpp"
#include "orchestrator/observe.hpp"
#include "orchestrator/supervisor/supervisor.hpp"
#include "orchestrator/timed_waiter.hpp"
#include "orchestrator/timings/up_recorder.hpp"

namespace stack::orchestrator {
using namespace boost::asio::experimental::awaitable_operators;

ProjectController::ProjectController(runtime::Engine& engine, progress::ProgressSink& progress,
                                     ControllerOptions options)
    : engine_(engine), progress_(progress), options_(options) {}

namespace {

// Gates that can only be service_started (stop, down): nothing to wait for.
class NoWaiting final : public executor::DependencyWaiter {
 public:
  Awaitable<void> await(const std::string&, const std::string&) override { co_return; }
};

}  // namespace

Awaitable<void> ProjectController::execute(const planner::PlanResult& planned,
                                           executor::DependencyWaiter& waiter,
                                           executor::ExecutorOptions executor_options) {
  for (const auto& warning : planned.warnings) progress_.warn(warning);
  log::get("planner")->debug("plan:\n{}", planned.plan.render());
  if (options_.dry_run) {
    for (const auto& step : planned.plan.steps()) {
      progress_.emit({"DRY-RUN", step.target, step.describe(), progress::ProgressState::Done});
    }
    co_return;
  }
  executor_options.parallel_limit = options_.parallel_limit;
  executor::PlanExecutor executor(engine_, waiter, reporting(), std::move(executor_options));
  co_await executor.run(planned.plan);
}

Awaitable<void> ProjectController::prepareImages(const compose::Project& project,
                                                 const planner::UpOptions& options) {
  // The services planUp will converge: the named ones and, unless --no-deps, their
  // dependencies. An unknown name is left for the preparer to report.
  std::set<std::string> services = options.services;
  bool known = true;
  for (const auto& name : services) known = known && project.services.count(name) != 0;
  if (!services.empty() && !options.no_deps && known) {
    services = compose::serviceGraph(project).withDependencies(services);
  }
  images::ImagePreparerOptions image_options;
  image_options.parallel_limit = options_.parallel_limit;
  image_options.dry_run = options_.dry_run;
  image_options.digest_cache = options_.digest_cache;
  images::ImagePreparer images(engine_, reporting(), image_options);
  co_await images.prepare(project, services, options.images);
}

Awaitable<planner::PlanResult> ProjectController::planFor(const compose::Project& project,
                                                          const planner::UpOptions& options) {
  co_await prepareImages(project, options);
  const planner::DesiredState desired = desiredState(project);
  planner::ObservedState observed = co_await observeProject(engine_, project.name, &project);
  planner::PlanResult planned = planner::planUp(project, desired, observed, options);
  if (recorder_) recorder_->planned(planned.plan);
  co_return planned;
}

supervisor::SupervisorOptions ProjectController::supervision(
    const planner::UpOptions& options) const {
  supervisor::SupervisorOptions supervision;
  supervision.readiness.cadence = options_.probe_cadence;
  supervision.readiness.deadline = options.wait_timeout;
  supervision.progress = &progress_;
  return supervision;
}

Awaitable<void> ProjectController::executeSupervised(
    const compose::Project& project, const planner::PlanResult& planned,
    const std::set<std::string>& wait_for, std::optional<std::chrono::milliseconds> wait_timeout) {
  planner::UpOptions waiting;
  waiting.wait_timeout = wait_timeout;
  supervisor::Supervisor supervisor(engine_, project, co_await boost::asio::this_coro::executor,
                                    supervision(waiting));
  TimedWaiter waiter(supervisor, project, recorder_.get());
  auto work = [&]() -> Awaitable<void> {
    co_await execute(planned, waiter);
    if (!options_.dry_run) co_await settleNetworks(project.name, planned.plan);
    if (!wait_for.empty() && !options_.dry_run) {
      co_await supervisor.awaitProject(wait_for, wait_timeout);
    }
  };
  auto outcome = co_await (capture(work()) || supervisor.serve());
  if (outcome.index() == 0) unwrap(std::get<0>(std::move(outcome)));
}

Awaitable<planner::Plan> ProjectController::up(const compose::Project& project,
                                               const planner::UpOptions& options) {
  startRecording(project);
  std::exception_ptr failure;
  planner::Plan plan;
  try {
    plan = co_await converge(project, options);
  } catch (...) {
    failure = std::current_exception();
  }
  finishRecording(failure);
  if (failure) std::rethrow_exception(failure);
  co_return plan;
}

Awaitable<planner::Plan> ProjectController::converge(const compose::Project& project,
                                                     const planner::UpOptions& options) {
  planner::PlanResult planned = co_await planFor(project, options);
  std::set<std::string> wait_for;
  if (options.wait) {
    wait_for = options.services;
    if (wait_for.empty()) {
      for (const auto& [name, _] : project.services) wait_for.insert(name);
    }
  }
  co_await executeSupervised(project, planned, wait_for, options.wait_timeout);
  co_return std::move(planned.plan);
}

// A create of a network by a killed `up` can reach the engine after this run looked, and
// dockerd does not serialize creates by name: a duplicate may appear beside the network
// this run created. Our containers are pinned to ours by id; the stray goes.
Awaitable<void> ProjectController::settleNetworks(const std::string& project_name,
                                                  const planner::Plan& plan) {
  const bool created_networks = std::any_of(
      plan.steps().begin(), plan.steps().end(),
      [](const planner::Step& step) { return step.action == planner::StepAction::CreateNetwork; });
  if (!created_networks) co_return;
  runtime::ListFilter by_project;
  by_project.labels = {compose::labels::filter(compose::labels::kProject, project_name)};
  const auto networks = co_await engine_.listNetworks(by_project);
  std::set<std::string> names;
  bool duplicated = false;
  for (const auto& network : networks) duplicated |= !names.insert(network.name).second;
  if (!duplicated) co_return;
  const ObserveOptions without_images{.images = false};
  planner::ObservedState observed =
      co_await observeProject(engine_, project_name, nullptr, without_images);
  const planner::PlanResult cleanup = planner::planDuplicateNetworks(project_name, observed);
  NoWaiting waiter;
  co_await execute(cleanup, waiter);
}

Awaitable<planner::Plan> ProjectController::down(const std::string& project_name,
                                                 const compose::Project* project,
                                                 const planner::DownOptions& options) {
  const ObserveOptions without_images{.images = false};
  planner::ObservedState observed =
      co_await observeProject(engine_, project_name, project, without_images);
  planner::PlanResult planned = planner::planDown(project_name, project, observed, options);
  NoWaiting waiter;
  co_await execute(planned, waiter);
  co_return std::move(planned.plan);
}

Awaitable<planner::Plan> ProjectController::stop(const std::string& project_name,
                                                 const std::set<std::string>& services,
                                                 std::optional<int> timeout_seconds) {
  const ObserveOptions without_images{.images = false};
  planner::ObservedState observed =
      co_await observeProject(engine_, project_name, nullptr, without_images);
  planner::PlanResult planned = planner::planStop(observed, services, timeout_seconds);
  NoWaiting waiter;
  co_await execute(planned, waiter);
  co_return std::move(planned.plan);
}

Awaitable<std::vector<runtime::ContainerSummary>> ProjectController::ps(
    const std::string& project_name, bool all) {
  runtime::ListFilter filter;
  filter.labels = {compose::labels::filter(compose::labels::kProject, project_name)};
  filter.all = all;
  co_return co_await engine_.listContainers(filter);
}

}  // namespace stack::orchestrator
