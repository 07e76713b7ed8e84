#pragma once

// The orchestrator's public API: what `stack up`, `down`, `ps`, ... do, as coroutines on
// the caller's io_context. The CLI is a thin shell over this class, and the C++ fixture
// API uses it directly. Every mutating call observes the engine, plans, prints or runs the
// plan, and returns it.

#include <boost/asio/awaitable.hpp>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "orchestrator/compose/model.hpp"
#include "orchestrator/executor/plan_executor.hpp"
#include "orchestrator/logs/attached_session.hpp"
#include "orchestrator/oneoff/oneoff_requests.hpp"
#include "orchestrator/oneoff/process_io.hpp"
#include "orchestrator/planner/planner.hpp"
#include "orchestrator/planner/planner_lifecycle.hpp"
#include "orchestrator/progress/progress.hpp"
#include "orchestrator/project_views.hpp"
#include "orchestrator/supervisor/supervisor.hpp"
#include "runtime/engine.hpp"

namespace stack::orchestrator {

namespace timings {
class UpRecorder;
}

template <class T>
using Awaitable = boost::asio::awaitable<T>;

struct ControllerOptions {
  size_t parallel_limit = 64;                    // --parallel, COMPOSE_PARALLEL_LIMIT
  bool dry_run = false;                          // plan, report, change nothing
  std::chrono::milliseconds probe_cadence{200};  // how often stack probes readiness
  // Where build-context file digests persist; empty: $XDG_CACHE_HOME/stack/digests.
  std::filesystem::path digest_cache;
  // Where each up()/upAttached() keeps its record (timings/up_record.hpp) as
  // <state_dir>/<project>/last-up.json; empty: no record. The CLI passes
  // $XDG_STATE_HOME/stack.
  std::filesystem::path state_dir;
};

class ProjectController {
 public:
  ProjectController(runtime::Engine& engine, progress::ProgressSink& progress,
                    ControllerOptions options = {});

  // Makes the images of the services `up` converges ready (images/image_preparer.hpp:
  // builds and pulls by policy and options.images), then converges the project's
  // containers, networks and volumes (see planUp). No container is created before every
  // image it needs exists.
  Awaitable<planner::Plan> up(const compose::Project& project, const planner::UpOptions& options);

  // `up` in the foreground (see logs/attached_session.hpp): converges like up(), follows
  // the attached containers' output into `sink`, and returns the exit code docker compose
  // would: 0, the --exit-code-from service's code, the aborting container's code, or 130
  // after an interrupt. An abort flag or an interrupt stops the project first, with the
  // output still flowing; a second interrupt kills it.
  Awaitable<int> upAttached(const compose::Project& project, const planner::UpOptions& options,
                            const logs::AttachRequest& request, logs::LogSink& sink);

  // Removes the project's containers and networks; volumes with -v. `project` may be null.
  Awaitable<planner::Plan> down(const std::string& project_name, const compose::Project* project,
                                const planner::DownOptions& options);

  // Stops running containers of the given services (all when empty), dependents first.
  Awaitable<planner::Plan> stop(const std::string& project_name,
                                const std::set<std::string>& services,
                                std::optional<int> timeout_seconds);

  // The project's containers from one list call. `all` includes stopped ones.
  Awaitable<std::vector<runtime::ContainerSummary>> ps(const std::string& project_name, bool all);

  // --- Lifecycle (project_controller_lifecycle.cpp; plans in planner_lifecycle.hpp) -----
  // `project` may be null: then it is rebuilt from the containers' labels.

  // Starts existing containers, dependencies first, each after its dependencies' depends_on
  // conditions hold; with options.wait, then waits until the services are ready (as up).
  Awaitable<planner::Plan> start(const std::string& project_name, const compose::Project* project,
                                 const planner::StartOptions& options);
  // Restarts every container of the services (running or not), dependencies first; see
  // planRestart for which dependents come along.
  Awaitable<planner::Plan> restart(const std::string& project_name, const compose::Project* project,
                                   const planner::RestartOptions& options);
  Awaitable<planner::Plan> pause(const std::string& project_name, const compose::Project* project,
                                 const std::set<std::string>& services);
  Awaitable<planner::Plan> unpause(const std::string& project_name, const compose::Project* project,
                                   const std::set<std::string>& services);
  // An empty plan means there was no running container to kill.
  Awaitable<planner::Plan> kill(const std::string& project_name, const compose::Project* project,
                                const planner::KillOptions& options);
  // Asked with the names of the containers a removal would remove (never with none);
  // returning false cancels it.
  using RemovalConfirmation = std::function<Awaitable<bool>(const std::vector<std::string>&)>;
  // Removes stopped containers (see planRemove) once `confirm` agrees. Returns the plan it
  // ran: empty when there was nothing to remove or `confirm` declined.
  Awaitable<planner::Plan> remove(const std::string& project_name, const compose::Project* project,
                                  const planner::RemoveContainersOptions& options,
                                  const RemovalConfirmation& confirm);

  // --- Views (project_controller_views.cpp) ----------------------------------------------

  // Every project that has containers (running ones; `all`: any), from one list call,
  // sorted by name.
  Awaitable<std::vector<ProjectSummary>> listProjects(bool all);
  // The processes of the running containers of the services (all when empty), by name.
  Awaitable<std::vector<ContainerProcesses>> top(const std::string& project_name,
                                                 const std::set<std::string>& services);
  // The host binding of a container port of a running container of `service`: the one
  // with container-number `index`, or the lowest numbered when `index` is 0. Throws
  // NotFound naming what is missing.
  Awaitable<runtime::PortSummary> port(const std::string& project_name, const std::string& service,
                                       uint16_t private_port, const std::string& protocol,
                                       int index);
  // The image of each container of the services (all when empty), by container name.
  Awaitable<std::vector<ContainerImage>> images(const std::string& project_name,
                                                const std::set<std::string>& services);
  // Follows the project's container events (one-off containers excluded) and hands each to
  // `sink`, until cancelled, or until options.until when set.
  Awaitable<void> events(const std::string& project_name, const EventsOptions& options,
                         const ProjectEventSink& sink);

  // --- One-off commands (project_controller_exec.cpp, project_controller_run.cpp) -------

  // `exec`: runs request.command in the running container of request.service (the
  // lowest container-number, or request.index), with `io` as its stdin and output.
  // Returns the command's exit code, 130 after an interrupt, 0 when detached. Throws
  // NotFound ("service \"web\" is not running") when there is no such container.
  Awaitable<int> exec(const std::string& project_name, const oneoff::ExecRequest& request,
                      oneoff::ProcessIo& io);
  // `run`: starts the service's dependencies as `up` would (unless no_deps) and waits for
  // its depends_on conditions, then creates a one-off container (oneoff/oneoff_spec.hpp),
  // attaches to it before starting it, forwards `io` and returns its exit code. The first
  // interrupt stops the container with the output still flowing, a second kills it; the
  // result is then 130. With `remove` the container is removed on every path once
  // created. Detached, it returns once the container has started.
  Awaitable<oneoff::RunResult> run(const compose::Project& project,
                                   const oneoff::RunRequest& request, oneoff::ProcessIo& io);
  // `wait`: blocks until the running containers of the services stop (until the first
  // does, with first_only) and returns the exit code of the first to stop. Throws
  // NotFound when none of them runs.
  Awaitable<int> wait(const std::string& project_name, const oneoff::WaitRequest& request);

 private:
  // The bodies of up() and upAttached(), which record them (timings/).
  Awaitable<planner::Plan> converge(const compose::Project& project,
                                    const planner::UpOptions& options);
  Awaitable<int> convergeAttached(const compose::Project& project,
                                  const planner::UpOptions& options,
                                  const logs::AttachRequest& request, logs::LogSink& sink);
  // Starts recording an up (unless there is no state_dir, or a dry run); finishRecording
  // stamps its end and keeps it (a failure to write it is logged, never thrown). Once
  // finished, a second call does nothing.
  void startRecording(const compose::Project& project);
  void finishRecording(std::exception_ptr failure);
  // The sink the steps report to: progress_, or a RecordingSink over it while recording.
  progress::ProgressSink& reporting();

  // Builds and pulls what `up` needs before it plans (images/image_preparer.hpp).
  Awaitable<void> prepareImages(const compose::Project& project, const planner::UpOptions& options);
  // The part of run() before its container: dependencies, networks, volumes, conditions.
  Awaitable<void> prepareRun(const compose::Project& project, const compose::Service& service,
                             const oneoff::RunRequest& request);
  // Runs the plan; dependency gates are decided by `waiter`.
  Awaitable<void> execute(const planner::PlanResult& planned, executor::DependencyWaiter& waiter,
                          executor::ExecutorOptions executor_options = {});
  // After a plan that created networks: removes unused duplicates of them.
  Awaitable<void> settleNetworks(const std::string& project_name, const planner::Plan& plan);
  Awaitable<planner::PlanResult> planFor(const compose::Project& project,
                                         const planner::UpOptions& options);
  supervisor::SupervisorOptions supervision(const planner::UpOptions& options) const;
  // Runs the plan with a Supervisor deciding its gates; then, unless `wait_for` is empty,
  // waits until those services are ready.
  Awaitable<void> executeSupervised(const compose::Project& project,
                                    const planner::PlanResult& planned,
                                    const std::set<std::string>& wait_for,
                                    std::optional<std::chrono::milliseconds> wait_timeout);

  runtime::Engine& engine_;
  progress::ProgressSink& progress_;
  ControllerOptions options_;
  std::shared_ptr<timings::UpRecorder> recorder_;  // while an up is recorded
  std::shared_ptr<progress::ProgressSink> recording_sink_;
};

// The config hash of every service (reads env_file, configs and secrets content).
planner::DesiredState desiredState(const compose::Project& project);

}  // namespace stack::orchestrator
