// ProjectController::run: a one-off container of a service, as `docker compose run`.

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/this_coro.hpp>

#include "core/async.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "orchestrator/compose/config_hash.hpp"
#include "orchestrator/compose/labels.hpp"
#include "orchestrator/compose/service_graph.hpp"
#include "orchestrator/oneoff/interactive_session.hpp"
#include "orchestrator/oneoff/oneoff_spec.hpp"
#include "orchestrator/project_controller.hpp"

namespace stack::orchestrator {
namespace asio = boost::asio;
using namespace boost::asio::experimental::awaitable_operators;

namespace {

constexpr int kInterruptedExitCode = 130;  // as docker compose after Ctrl-C

// The project `run` converges before creating its container: the service's dependencies
// (none with --no-deps) stay enabled; every other service, the run's own included, is set
// aside like a disabled profile, so it is neither planned nor taken for an orphan.
compose::Project dependencyScope(const compose::Project& project, const std::string& service,
                                 bool no_deps) {
  std::set<std::string> keep;
  if (!no_deps) {
    const graph::DependencyGraph graph = compose::serviceGraph(project);
    keep = graph.withDependencies(graph.dependenciesOf(service));
  }
  compose::Project scope = project;
  for (auto it = scope.services.begin(); it != scope.services.end();) {
    if (keep.count(it->first)) {
      ++it;
      continue;
    }
    scope.disabled_services.insert(scope.services.extract(it++));
  }
  return scope;
}

// Runs `work`; an interrupt first cancels it and throws Cancelled.
Awaitable<void> unlessInterrupted(Awaitable<void> work, const oneoff::InterruptWait& interrupted) {
  if (!interrupted) {
    co_await std::move(work);
    co_return;
  }
  auto outcome = co_await (capture(std::move(work)) || interrupted());
  if (outcome.index() == 1) throw Error(ErrorKind::Cancelled, "interrupted");
  unwrap(std::get<0>(std::move(outcome)));
}

Awaitable<oneoff::OneOffIdentity> identify(runtime::Engine& engine, const compose::Project& project,
                                           const compose::Service& service,
                                           const oneoff::RunRequest& request) {
  oneoff::OneOffIdentity identity;
  identity.slug = oneoff::newOneOffSlug();
  identity.name = oneoff::oneOffName(project, request, identity.slug);
  identity.config_hash = compose::serviceConfigHash(project, service);
  const std::string image = serviceImage(project, service);
  try {
    const runtime::ImageDetails details = co_await engine.inspectImage(image);
    identity.image_id = details.id;
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::NotFound) throw;
    throw Error(ErrorKind::NotFound,
                "image " + image + " of service \"" + service.name + "\" is not available locally",
                "build or pull it first, for example with `stack up --no-start " + service.name +
                    "` or `docker pull " + image + "`");
  }
  co_return identity;
}

Awaitable<void> removeOneOff(runtime::Engine& engine, progress::ProgressSink& progress,
                             const std::string& id, const std::string& name) {
  runtime::RemoveOptions options;
  options.force = true;
  options.volumes = true;  // its anonymous volumes, as `docker compose run --rm`
  try {
    co_await engine.removeContainer(id, options);
  } catch (const Error& error) {
    if (error.kind() == ErrorKind::NotFound) co_return;  // gone already
    progress.warn("could not remove the one-off container " + name + ": " + error.what());
  }
}

// The first interrupt stops the container gracefully (its stop signal, then SIGKILL after
// the grace period), with the output still flowing; a second one kills it at once.
Awaitable<void> stopOneOff(runtime::Engine& engine, progress::ProgressSink& progress,
                           const std::string& id, const oneoff::InterruptWait& interrupted) {
  progress.info("Stopping the one-off container... (press Ctrl+C again to force)");
  auto stopped = co_await (capture(engine.stopContainer(id, std::nullopt)) || interrupted());
  if (stopped.index() == 0) {
    unwrap(std::get<0>(std::move(stopped)));
    co_return;
  }
  try {
    co_await engine.killContainer(id, "SIGKILL");
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::Conflict) throw;  // Conflict: it is not running any more
  }
}

// Attaches before the start, so no output is lost, and returns the container's exit code
// (130 after an interrupt).
Awaitable<int> runAttached(runtime::Engine& engine, progress::ProgressSink& progress,
                           const std::string& id, const oneoff::RunRequest& request,
                           oneoff::ProcessIo& io) {
  runtime::AttachOptions attach;
  attach.stdin = request.interactive;
  attach.tty = request.tty;
  std::unique_ptr<runtime::AttachedStream> stream = co_await engine.attach(id, attach);
  co_await engine.startContainer(id);
  oneoff::SessionOptions session;
  session.tty = request.tty;
  session.input = request.interactive;
  session.resize = [&](oneoff::TerminalSize size) -> Awaitable<void> {
    co_await engine.resizeContainer(id, size.rows, size.columns);
  };
  session.interrupted = request.interrupted;
  session.on_interrupt = [&]() -> Awaitable<void> {
    co_await stopOneOff(engine, progress, id, request.interrupted);
  };
  const oneoff::SessionEnd end = co_await oneoff::runInteractiveSession(*stream, io, session);
  stream->cancel();
  if (end.interrupted) co_return kInterruptedExitCode;
  const runtime::WaitResult result =
      co_await engine.waitContainer(id, runtime::WaitCondition::NotRunning);
  co_return result.status_code;
}

}  // namespace

Awaitable<void> ProjectController::prepareRun(const compose::Project& project,
                                              const compose::Service& service,
                                              const oneoff::RunRequest& request) {
  // The run's own image first (built or pulled by policy, as up would); planFor below
  // prepares its dependencies' images.
  planner::UpOptions own_image;
  own_image.services = {service.name};
  own_image.no_deps = true;
  co_await prepareImages(project, own_image);
  const compose::Project scope = dependencyScope(project, service.name, request.no_deps);
  planner::UpOptions options;
  const std::vector<std::string> networks = planner::serviceNetworkKeys(service);
  options.extra_networks = {networks.begin(), networks.end()};
  planner::PlanResult planned = co_await planFor(scope, options);
  const asio::any_io_executor executor = co_await asio::this_coro::executor;
  supervisor::Supervisor supervisor(engine_, project, executor, supervision(options));
  auto work = [&]() -> Awaitable<void> {
    co_await execute(planned, supervisor);
    if (request.no_deps || options_.dry_run) co_return;
    // The run's own depends_on conditions, as up would gate its container on them.
    for (const auto& [dependency, spec] : service.depends_on) {
      if (!project.services.count(dependency)) continue;  // optional and not in the project
      co_await supervisor.await(dependency, spec.condition);
    }
  };
  auto outcome = co_await (capture(work()) || supervisor.serve());
  if (outcome.index() == 0) unwrap(std::get<0>(std::move(outcome)));
}

Awaitable<oneoff::RunResult> ProjectController::run(const compose::Project& project,
                                                    const oneoff::RunRequest& request,
                                                    oneoff::ProcessIo& io) {
  const compose::Service service = oneoff::oneOffService(project, request);
  co_await unlessInterrupted(prepareRun(project, service, request), request.interrupted);
  const oneoff::OneOffIdentity identity = co_await identify(engine_, project, service, request);
  const planner::ContainerSpec spec = oneoff::oneOffSpec(project, service, request, identity);
  oneoff::RunResult result;
  result.container_name = identity.name;
  if (options_.dry_run) {
    progress_.emit({"DRY-RUN", identity.name, "create and start the one-off container",
                    progress::ProgressState::Done});
    co_return result;
  }
  result.container_id = co_await engine_.createContainer(spec.create);
  std::exception_ptr failure;
  try {
    for (const auto& connection : spec.extra_networks) {
      co_await engine_.connectNetwork(connection.network, result.container_id, connection.endpoint);
    }
    if (request.created) request.created();
    if (request.detach) {
      co_await engine_.startContainer(result.container_id);
    } else {
      result.exit_code = co_await runAttached(engine_, progress_, result.container_id, request, io);
    }
  } catch (...) {
    failure = std::current_exception();
  }
  // Attached, --rm removes the container here; detached, the engine does (AutoRemove).
  // A container that failed to start is removed either way.
  if (request.remove && (!request.detach || failure)) {
    co_await removeOneOff(engine_, progress_, result.container_id, result.container_name);
  }
  if (failure) std::rethrow_exception(failure);
  co_return result;
}

}  // namespace stack::orchestrator
