// ProjectController::exec and ::wait: commands on the project's running containers that
// work from labels alone, like docker compose's.

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

#include "core/async.hpp"
#include "core/error.hpp"
#include "core/task_group.hpp"
#include "orchestrator/compose/labels.hpp"
#include "orchestrator/container_target.hpp"
#include "orchestrator/oneoff/interactive_session.hpp"
#include "orchestrator/planner/planner_support.hpp"
#include "orchestrator/project_controller.hpp"

namespace stack::orchestrator {
namespace asio = boost::asio;

namespace {

constexpr int kInterruptedExitCode = 130;  // as docker compose after Ctrl-C

std::string quoted(const std::string& text) {
  return "\"" + text + "\"";
}

// The filter docker compose uses for a project's containers: labelled with the project
// and a config hash (one-off containers included).
runtime::ListFilter runningOf(const std::string& project) {
  runtime::ListFilter filter;
  filter.labels = {compose::labels::filter(compose::labels::kProject, project),
                   std::string(compose::labels::kConfigHash)};
  filter.all = false;
  return filter;
}

// The exec's exit code. The output can end a moment before the engine records the exit,
// so a running exec is asked again for a short while.
Awaitable<int> execExitCode(runtime::Engine& engine, const std::string& exec_id) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (int attempt = 0;; ++attempt) {
    const runtime::ExecDetails details = co_await engine.inspectExec(exec_id);
    if (!details.running || attempt == 40) co_return details.exit_code.value_or(0);
    timer.expires_after(std::chrono::milliseconds(50));
    co_await timer.async_wait(asio::use_awaitable);
  }
}

runtime::ExecSpec execSpec(const oneoff::ExecRequest& request) {
  runtime::ExecSpec spec;
  spec.cmd = request.command;
  spec.env = request.env;
  spec.user = request.user;
  spec.working_dir = request.working_dir;
  spec.tty = request.tty;
  spec.privileged = request.privileged;
  spec.attach_stdin = request.interactive && !request.detach;
  spec.attach_stdout = !request.detach;
  spec.attach_stderr = !request.detach;
  return spec;
}

// What `wait` shares between the waits of its containers.
struct WaitState {
  explicit WaitState(const asio::any_io_executor& executor) : changed(executor) {}
  std::optional<int> first_exit;
  std::exception_ptr failure;
  Signal changed;
};

Awaitable<void> waitForExit(runtime::Engine& engine, runtime::ContainerSummary container,
                            const oneoff::WaitRequest& request, WaitState& state) {
  const runtime::WaitResult result =
      co_await engine.waitContainer(container.id, runtime::WaitCondition::NotRunning);
  if (!state.first_exit) state.first_exit = result.status_code;
  if (request.exited) request.exited(container, result.status_code);
  state.changed.notify();
}

bool isCancellation(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const Error& error) {
    return error.kind() == ErrorKind::Cancelled;
  } catch (...) {
    return false;
  }
}

}  // namespace

Awaitable<int> ProjectController::exec(const std::string& project_name,
                                       const oneoff::ExecRequest& request, oneoff::ProcessIo& io) {
  if (request.command.empty()) {
    throw Error(ErrorKind::Usage, "exec needs a command", "stack exec SERVICE COMMAND [ARGS...]");
  }
  const runtime::ContainerSummary target =
      co_await runningContainer(engine_, project_name, request.service, request.index);
  if (options_.dry_run) {
    progress_.emit(
        {"DRY-RUN", target.name, "exec " + request.command.front(), progress::ProgressState::Done});
    co_return 0;
  }
  const runtime::ExecSpec spec = execSpec(request);
  const std::string exec_id = co_await engine_.createExec(target.id, spec);
  runtime::ExecStartOptions start;
  start.detach = request.detach;
  start.tty = request.tty;
  start.stdin = spec.attach_stdin;
  std::unique_ptr<runtime::AttachedStream> stream = co_await engine_.startExec(exec_id, start);
  if (request.detach) co_return 0;

  oneoff::SessionOptions session;
  session.tty = request.tty;
  session.input = spec.attach_stdin;
  session.resize = [&](oneoff::TerminalSize size) -> Awaitable<void> {
    co_await engine_.resizeExec(exec_id, size.rows, size.columns);
  };
  session.interrupted = request.interrupted;
  const oneoff::SessionEnd end = co_await oneoff::runInteractiveSession(*stream, io, session);
  stream->cancel();
  if (end.interrupted) co_return kInterruptedExitCode;
  co_return co_await execExitCode(engine_, exec_id);
}

Awaitable<int> ProjectController::wait(const std::string& project_name,
                                       const oneoff::WaitRequest& request) {
  runtime::ListFilter filter = runningOf(project_name);
  if (request.services.size() == 1) {
    filter.labels.push_back(
        compose::labels::filter(compose::labels::kService, *request.services.begin()));
  }
  std::vector<runtime::ContainerSummary> containers = co_await engine_.listContainers(filter);
  std::erase_if(containers, [&](const auto& c) {
    return !request.services.empty() &&
           !request.services.count(planner::label(c, compose::labels::kService));
  });
  if (containers.empty()) {
    std::string names;
    for (const auto& service : request.services) names += (names.empty() ? "" : ", ") + service;
    throw Error(ErrorKind::NotFound,
                "no running containers of " + names + " in project " + quoted(project_name),
                "`stack ps -a` shows the project's containers");
  }
  const asio::any_io_executor executor = co_await asio::this_coro::executor;
  WaitState state(executor);
  TaskGroup waits(executor);
  for (const auto& container : containers) {
    waits.spawn(waitForExit(engine_, container, request, state), [&state](std::exception_ptr e) {
      if (!state.failure && !isCancellation(e)) state.failure = e;
      state.changed.notify();
    });
  }
  if (request.first_only) {
    while (!state.first_exit && !state.failure && waits.running() > 0) {
      co_await state.changed.wait();
    }
    waits.cancel();
  }
  co_await waits.wait();
  if (state.failure) std::rethrow_exception(state.failure);
  co_return state.first_exit.value_or(0);
}

}  // namespace stack::orchestrator
