// ProjectController::upAttached: `up` in the foreground, with the two-stage interrupt.

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/async.hpp"
#include "core/error.hpp"
#include "core/task_group.hpp"
#include "orchestrator/compose/labels.hpp"
#include "orchestrator/project_controller.hpp"
#include "orchestrator/supervisor/dependent_restarter.hpp"
#include "orchestrator/timed_waiter.hpp"

namespace stack::orchestrator {
namespace asio = boost::asio;
using namespace boost::asio::experimental::awaitable_operators;

namespace {

constexpr int kInterruptedExitCode = 130;  // as docker compose after Ctrl-C

runtime::ListFilter projectFilter(const std::string& project) {
  runtime::ListFilter filter;
  filter.labels = {compose::labels::filter(compose::labels::kProject, project)};
  return filter;
}

// --exit-code-from: the exit code of that service's first container, once stopped.
Awaitable<int> exitCodeOf(runtime::Engine& engine, const std::string& project,
                          const std::string& service) {
  runtime::ListFilter filter = projectFilter(project);
  filter.labels.push_back(compose::labels::filter(compose::labels::kService, service));
  filter.labels.push_back(compose::labels::filter(compose::labels::kOneoff, "False"));
  auto containers = co_await engine.listContainers(filter);
  if (containers.empty()) co_return 0;
  auto details = co_await engine.inspectContainer(containers.front().id);
  co_return details.state.exit_code;
}

Awaitable<void> killRunning(runtime::Engine& engine, const std::string& project) {
  runtime::ListFilter filter = projectFilter(project);
  filter.all = false;
  auto running = co_await engine.listContainers(filter);
  for (const auto& container : running) {
    try {
      co_await engine.killContainer(container.id, "SIGKILL");
    } catch (const Error& error) {
      if (error.kind() == ErrorKind::Cancelled) throw;  // gone already: that is the goal
    }
  }
}

// Containers whose start was issued may still read "created" for a moment after their
// process runs (the engine records the state after the runtime returns), and a stop
// planned in that moment would skip them. Waits, bounded, until they leave "created".
Awaitable<void> awaitIssuedStarts(runtime::Engine& engine, const std::set<std::string>& names) {
  constexpr auto kPoll = std::chrono::milliseconds(25);
  constexpr int kMaxPolls = 80;  // 2 s: a start that never reached the engine stays created
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (const auto& name : names) {
    for (int poll = 0; poll < kMaxPolls; ++poll) {
      try {
        const runtime::ContainerDetails details = co_await engine.inspectContainer(name);
        if (details.state.status != "created") break;
      } catch (const Error& error) {
        if (error.kind() == ErrorKind::NotFound) break;
        throw;
      }
      timer.expires_after(kPoll);
      co_await timer.async_wait(asio::use_awaitable);
    }
  }
}

Awaitable<void> never() {
  asio::steady_timer timer(co_await asio::this_coro::executor,
                           asio::steady_timer::time_point::max());
  co_await timer.async_wait(asio::use_awaitable);
}

}  // namespace

Awaitable<int> ProjectController::upAttached(const compose::Project& project,
                                             const planner::UpOptions& options,
                                             const logs::AttachRequest& request,
                                             logs::LogSink& sink) {
  startRecording(project);
  std::exception_ptr failure;
  int code = 0;
  try {
    code = co_await convergeAttached(project, options, request, sink);
  } catch (...) {
    failure = std::current_exception();
  }
  finishRecording(failure);  // when the converge failed; it ends at the attach otherwise
  if (failure) std::rethrow_exception(failure);
  co_return code;
}

Awaitable<int> ProjectController::convergeAttached(const compose::Project& project,
                                                   const planner::UpOptions& options,
                                                   const logs::AttachRequest& request,
                                                   logs::LogSink& sink) {
  if (!request.exit_code_from.empty() && !project.services.count(request.exit_code_from)) {
    throw Error(ErrorKind::Usage, "no such service: " + request.exit_code_from,
                "--exit-code-from names a service of the project");
  }
  auto interrupted = [&] { return request.interrupted ? request.interrupted() : never(); };
  planner::PlanResult planned = co_await planFor(project, options);
  auto executor = co_await asio::this_coro::executor;
  supervisor::Supervisor supervisor(engine_, project, executor, supervision(options));
  TaskGroup pumps(executor);
  logs::AttachedSession session(engine_, project, supervisor, request, sink, pumps);
  TimedWaiter waiter(supervisor, project, recorder_.get());
  std::set<std::string> starts_issued;

  auto follow = [&]() -> Awaitable<logs::AttachedResult> {
    executor::ExecutorOptions hooks;
    hooks.before_start = [&](const planner::Step& step) {
      starts_issued.insert(step.target);
      return session.beforeStart(step);
    };
    co_await execute(planned, waiter, std::move(hooks));
    if (!options_.dry_run) co_await settleNetworks(project.name, planned.plan);
    finishRecording(nullptr);  // the up ends here; following the output is not part of it
    co_await session.attachRunning();
    if (options_.dry_run || !supervisor::anySupervised(project))
      co_return co_await session.follow();
    // x-stack-supervise: restart dependents while the output is followed.
    supervisor::DependentRestarter restarter(engine_, project, supervisor, progress_,
                                             options.timeout_seconds);
    auto followed = co_await (capture(session.follow()) || restarter.run());
    if (followed.index() == 1) co_return co_await session.follow();  // nothing to supervise
    co_return unwrap(std::get<0>(std::move(followed)));
  };
  // Runs while the output pumps still flow, so the last lines of stopping containers
  // are shown; a second interrupt kills.
  auto stopAll = [&]() -> Awaitable<void> {
    auto graceful = [&]() -> Awaitable<void> {
      co_await awaitIssuedStarts(engine_, starts_issued);
      co_await stop(project.name, {}, options.timeout_seconds);
    };
    auto stopped = co_await (capture(graceful()) || interrupted());
    if (stopped.index() == 1)
      co_await killRunning(engine_, project.name);
    else
      unwrap(std::get<0>(std::move(stopped)));
  };
  auto work = [&]() -> Awaitable<int> {
    auto outcome = co_await (capture(follow()) || interrupted());
    int code = kInterruptedExitCode;
    if (outcome.index() == 1) {
      progress_.info("Gracefully stopping... (press Ctrl+C again to force)");
      co_await stopAll();
    } else {
      logs::AttachedResult result = unwrap(std::get<0>(std::move(outcome)));
      code = result.exit_code;
      if (result.aborted) {
        progress_.info("Aborting on container exit (" + result.reason + ")...");
        co_await stopAll();
      }
      if (!request.exit_code_from.empty()) {
        code = co_await exitCodeOf(engine_, project.name, request.exit_code_from);
      }
    }
    co_return code;
  };
  auto run = [&]() -> Awaitable<int> {
    co_await asio::this_coro::throw_if_cancelled(false);
    auto result = co_await capture(work());
    // The output pumps refer to this frame: end them before it unwinds, even when
    // cancelled.
    co_await asio::this_coro::reset_cancellation_state();
    pumps.cancel();
    co_await capture(pumps.wait());
    co_return unwrap(std::move(result));
  };
  auto outcome = co_await (capture(run()) || supervisor.serve());
  co_return unwrap(std::get<0>(std::move(outcome)));
}

}  // namespace stack::orchestrator
