#include "orchestrator/executor/plan_executor.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>
#include <optional>
#include <regex>

#include "core/async.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "orchestrator/compose/labels.hpp"
#include "runtime/file_archive.hpp"

namespace stack::orchestrator::executor {
namespace asio = boost::asio;
using namespace boost::asio::experimental::awaitable_operators;

namespace {

struct Wording {
  const char* resource;
  const char* working;
  const char* done;
};

Wording wordingOf(planner::StepAction action) {
  switch (action) {
    case planner::StepAction::CreateNetwork:
      return {"Network", "Creating", "Created"};
    case planner::StepAction::RemoveNetwork:
      return {"Network", "Removing", "Removed"};
    case planner::StepAction::CreateVolume:
      return {"Volume", "Creating", "Created"};
    case planner::StepAction::RemoveVolume:
      return {"Volume", "Removing", "Removed"};
    case planner::StepAction::CreateContainer:
      return {"Container", "Creating", "Created"};
    case planner::StepAction::ConnectNetwork:
      return {"Container", "Connecting", "Connected"};
    case planner::StepAction::CopyFiles:
      return {"Container", "Copying files", "Copied files"};
    case planner::StepAction::StartContainer:
      return {"Container", "Starting", "Started"};
    case planner::StepAction::StopContainer:
      return {"Container", "Stopping", "Stopped"};
    case planner::StepAction::RemoveContainer:
      return {"Container", "Removing", "Removed"};
    case planner::StepAction::RenameContainer:
      return {"Container", "Renaming", "Renamed"};
    case planner::StepAction::AwaitDependency:
      return {"Service", "Waiting", "Ready"};
    case planner::StepAction::RemoveImage:
      return {"Image", "Removing", "Removed"};
    case planner::StepAction::KillContainer:
      return {"Container", "Killing", "Killed"};
    case planner::StepAction::PauseContainer:
      return {"Container", "Pausing", "Paused"};
    case planner::StepAction::UnpauseContainer:
      return {"Container", "Unpausing", "Unpaused"};
    case planner::StepAction::RestartContainer:
      return {"Container", "Restarting", "Started"};
  }
  return {"", "", ""};
}

// The engine names the port in "Bind for 0.0.0.0:8080 failed: port is already allocated"
// or "listen tcp4 0.0.0.0:8080: bind: address already in use".
std::optional<std::string> takenPort(const std::string& message) {
  if (message.find("port is already allocated") == std::string::npos &&
      message.find("address already in use") == std::string::npos) {
    return std::nullopt;
  }
  static const std::regex port_pattern(R"(([0-9a-fA-F.:\[\]]*):(\d+)(?:\s|:|$))");
  std::smatch match;
  if (std::regex_search(message, match, port_pattern)) return match[2].str();
  return std::string();
}

}  // namespace

PlanExecutor::PlanExecutor(runtime::Engine& engine, DependencyWaiter& waiter,
                           progress::ProgressSink& progress, ExecutorOptions options)
    : engine_(engine), waiter_(waiter), progress_(progress), options_(options) {}

void PlanExecutor::report(const planner::Step& step, bool done, const std::string& detail) {
  const Wording words = wordingOf(step.action);
  progress::ProgressEvent event;
  event.resource = words.resource;
  event.name = step.action == planner::StepAction::AwaitDependency ? step.service : step.target;
  if (step.action == planner::StepAction::RenameContainer && done) event.name = step.subject;
  if (step.action == planner::StepAction::RemoveNetwork && !step.subject.empty())
    event.name = step.subject;
  event.status = done ? words.done : words.working;
  event.state = done ? progress::ProgressState::Done : progress::ProgressState::Working;
  event.detail = detail;
  progress_.emit(event);
}

asio::awaitable<void> PlanExecutor::run(const planner::Plan& plan) {
  const auto& steps = plan.steps();
  if (steps.empty()) co_return;
  auto executor = co_await asio::this_coro::executor;
  co_await asio::this_coro::throw_if_cancelled(false);

  std::vector<size_t> waiting_on(steps.size());
  std::vector<std::vector<size_t>> dependents(steps.size());
  std::deque<size_t> ready;
  for (const auto& step : steps) {
    waiting_on[step.id] = step.after.size();
    for (size_t before : step.after) dependents[before].push_back(step.id);
    if (step.after.empty()) ready.push_back(step.id);
  }

  asio::steady_timer wake(executor);
  // Cancelling this timer cancels every step in flight: each races its step against it.
  asio::steady_timer stop_all(executor, asio::steady_timer::time_point::max());
  size_t running = 0;
  std::vector<Error> errors;
  bool cancelled = false;
  const size_t limit = options_.parallel_limit == 0 ? steps.size() : options_.parallel_limit;

  while (true) {
    while (!ready.empty() && running < limit && errors.empty() && !cancelled) {
      const size_t id = ready.front();
      ready.pop_front();
      ++running;
      asio::co_spawn(executor, runGuarded(steps[id], stop_all),
                     [&, id](std::exception_ptr failure) {
                       --running;
                       if (failure) {
                         try {
                           std::rethrow_exception(failure);
                         } catch (const Error& error) {
                           errors.push_back(error);
                         } catch (const std::exception& error) {
                           errors.emplace_back(ErrorKind::Internal, error.what());
                         }
                       } else {
                         for (size_t next : dependents[id]) {
                           if (--waiting_on[next] == 0) ready.push_back(next);
                         }
                       }
                       wake.cancel();
                     });
    }
    if (running == 0 && (ready.empty() || !errors.empty() || cancelled)) break;
    wake.expires_at(asio::steady_timer::time_point::max());
    co_await wake.async_wait(asio::as_tuple(asio::use_awaitable));
    auto state = co_await asio::this_coro::cancellation_state;
    if (!cancelled && state.cancelled() != asio::cancellation_type::none) {
      // Keep looping until the steps in flight have wound down: their handlers refer to
      // this frame.
      cancelled = true;
      stop_all.cancel();
      co_await asio::this_coro::reset_cancellation_state();
    }
  }
  if (cancelled) throw Error(ErrorKind::Cancelled, "interrupted");
  if (!errors.empty()) {
    for (size_t i = 1; i < errors.size(); ++i) progress_.warn(errors[i].what());
    throw errors.front();
  }
}

asio::awaitable<void> PlanExecutor::runGuarded(const planner::Step& step,
                                               asio::steady_timer& stop_all) {
  auto outcome =
      co_await (capture(runStep(step)) || stop_all.async_wait(asio::as_tuple(asio::use_awaitable)));
  if (outcome.index() == 1) throw Error(ErrorKind::Cancelled, "interrupted: " + step.describe());
  unwrap(std::get<0>(outcome));
}

asio::awaitable<void> PlanExecutor::runStep(const planner::Step& step) {
  report(step, false);
  try {
    switch (step.action) {
      case planner::StepAction::CreateNetwork:
        co_await createNetwork(step);
        break;
      case planner::StepAction::CreateVolume:
        co_await engine_.createVolume(*step.volume);
        break;
      case planner::StepAction::CreateContainer:
        co_await createContainer(step);
        break;
      case planner::StepAction::ConnectNetwork:
        co_await connectNetwork(step);
        break;
      case planner::StepAction::CopyFiles: {
        auto tar = std::make_shared<runtime::StringBody>(runtime::tarOf(step.files));
        co_await engine_.copyToContainer(step.target, "/", tar);
        break;
      }
      case planner::StepAction::StartContainer:
        co_await startContainer(step);
        break;
      case planner::StepAction::StopContainer:
        co_await stopContainer(step);
        break;
      case planner::StepAction::RenameContainer:
        co_await renameContainer(step);
        break;
      case planner::StepAction::AwaitDependency:
        try {
          co_await waiter_.await(step.service, step.subject);
        } catch (const Error& error) {
          if (!step.optional || error.kind() == ErrorKind::Cancelled) throw;
          progress_.warn("optional dependency " + step.service + " failed: " + error.what());
        }
        break;
      case planner::StepAction::RemoveContainer:
      case planner::StepAction::RemoveNetwork:
      case planner::StepAction::RemoveVolume:
      case planner::StepAction::RemoveImage:
        if (!co_await removeTolerant(step)) co_return;
        break;
      case planner::StepAction::KillContainer:
        co_await killTolerant(step);
        break;
      case planner::StepAction::PauseContainer:
        co_await engine_.pauseContainer(step.target);
        break;
      case planner::StepAction::UnpauseContainer:
        co_await engine_.unpauseContainer(step.target);
        break;
      case planner::StepAction::RestartContainer:
        co_await engine_.restartContainer(step.target, step.timeout_seconds);
        break;
    }
  } catch (Error& error) {
    if (error.kind() != ErrorKind::Cancelled) {
      progress::ProgressEvent event{wordingOf(step.action).resource, step.target, "Error",
                                    progress::ProgressState::Error, error.message()};
      progress_.emit(event);
    }
    throw;
  }
  report(step, true);
}

asio::awaitable<void> PlanExecutor::createNetwork(const planner::Step& step) {
  try {
    network_ids_[step.target] = co_await engine_.createNetwork(*step.network);
  } catch (const Error& error) {
    // Created meanwhile by a docker compose run: the network exists, which is all that
    // matters.
    if (error.kind() != ErrorKind::Conflict) throw;
  }
}

void PlanExecutor::pin(const std::string& network, runtime::EndpointSettings& endpoint) const {
  if (!endpoint.network_id.empty()) return;
  auto it = network_ids_.find(network);
  if (it != network_ids_.end()) endpoint.network_id = it->second;
}

asio::awaitable<void> PlanExecutor::createContainer(const planner::Step& step) {
  runtime::ContainerCreateRequest request = step.container->create;
  for (auto& [network, endpoint] : request.networks) pin(network, endpoint);
  // A killed `up` may leave a create of this very replica still running inside the
  // engine: the name is reserved before the container can be inspected. Such a name is
  // retried, bounded, until it is free or its holder can be judged.
  constexpr int kAttempts = 50;
  constexpr auto kPause = std::chrono::milliseconds(100);
  asio::steady_timer pause(co_await asio::this_coro::executor);
  for (int attempt = 1;; ++attempt) {
    std::optional<Error> conflict;
    try {
      co_await engine_.createContainer(request);
      co_return;
    } catch (const Error& error) {
      if (error.kind() != ErrorKind::Conflict) throw;
      conflict = error;
    }
    const Holder holder = co_await nameHolder(request);
    if (holder == Holder::Other || attempt == kAttempts) {
      throw Error(ErrorKind::Conflict,
                  "service \"" + step.service + "\": the container name " + request.name +
                      " is in use by a container that is not this replica (" + conflict->message() +
                      ")",
                  "remove or rename that container (`docker rm -f " + request.name +
                      "`), or give services." + step.service + ".container_name another value");
    }
    if (holder == Holder::AbandonedReplica) {
      log::get("executor")->debug("{}: replacing a never-started leftover", request.name);
      const runtime::RemoveOptions force{.force = true};
      try {
        co_await engine_.removeContainer(request.name, force);
      } catch (const Error& error) {
        if (error.kind() != ErrorKind::NotFound) throw;
      }
      continue;
    }
    pause.expires_after(kPause);  // Holder::NotYetVisible
    co_await pause.async_wait(asio::use_awaitable);
  }
}

// Who holds the request's name: nobody visible yet (a create still inside the engine, or
// the name freed meanwhile), the same replica of the same service never started (what a
// killed `up` leaves), or another container.
asio::awaitable<PlanExecutor::Holder> PlanExecutor::nameHolder(
    const runtime::ContainerCreateRequest& request) {
  std::optional<runtime::ContainerDetails> existing;
  try {
    existing = co_await engine_.inspectContainer(request.name);
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::NotFound) throw;
  }
  if (!existing) co_return Holder::NotYetVisible;
  for (std::string_view key : {compose::labels::kProject, compose::labels::kService,
                               compose::labels::kContainerNumber, compose::labels::kOneoff}) {
    auto mine = request.config.labels.find(std::string(key));
    auto theirs = existing->config.labels.find(std::string(key));
    if (mine == request.config.labels.end() || theirs == existing->config.labels.end() ||
        mine->second != theirs->second) {
      co_return Holder::Other;
    }
  }
  co_return existing->state.status == "created" ? Holder::AbandonedReplica : Holder::Other;
}

asio::awaitable<void> PlanExecutor::connectNetwork(const planner::Step& step) {
  runtime::EndpointSettings endpoint = *step.endpoint;
  pin(step.subject, endpoint);
  const std::string network = endpoint.network_id.empty() ? step.subject : endpoint.network_id;
  co_await engine_.connectNetwork(network, step.target, endpoint);
}

asio::awaitable<void> PlanExecutor::stopContainer(const planner::Step& step) {
  try {
    co_await engine_.stopContainer(step.target, step.timeout_seconds);
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::NotFound) throw;  // gone is as stopped as it gets
  }
}

asio::awaitable<void> PlanExecutor::renameContainer(const planner::Step& step) {
  try {
    co_await engine_.renameContainer(step.target, step.subject);
    co_return;
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::NotFound) throw;
  }
  // Renamed already by the run this one follows: the final name is what matters (this
  // throws NotFound when it is missing too).
  co_await engine_.inspectContainer(step.subject);
}

asio::awaitable<void> PlanExecutor::startContainer(const planner::Step& step) {
  if (options_.before_start) co_await options_.before_start(step);
  try {
    co_await engine_.startContainer(step.target);
  } catch (Error& error) {
    if (auto port = takenPort(error.message())) {
      Error conflict(ErrorKind::Conflict,
                     "service \"" + step.service + "\": host port " + *port +
                         " is already in use (" + error.message() + ")",
                     "stop whatever holds port " + *port +
                         " (`ss -ltnp` shows it), or publish "
                         "another port in services." +
                         step.service + ".ports");
      throw conflict;
    }
    error.addContext("service \"" + step.service + "\"");
    throw;
  }
}

// A container that stopped or went away since it was observed needs no signal: the kill
// has nothing left to do, which is not a failure.
asio::awaitable<void> PlanExecutor::killTolerant(const planner::Step& step) {
  try {
    co_await engine_.killContainer(step.target, step.subject);
  } catch (const Error& error) {
    const bool stopped = error.kind() == ErrorKind::Conflict &&
                         error.message().find("is not running") != std::string::npos;
    if (error.kind() != ErrorKind::NotFound && !stopped) throw;
  }
}

// Removal is idempotent: what is already gone is fine, and a network or volume still in
// use by someone else's container is reported and left alone, as docker compose does.
// Returns false when the object was left in place.
asio::awaitable<bool> PlanExecutor::removeTolerant(const planner::Step& step) {
  try {
    switch (step.action) {
      case planner::StepAction::RemoveContainer: {
        const runtime::RemoveOptions options{.force = true, .volumes = step.remove_volumes};
        co_await engine_.removeContainer(step.target, options);
      } break;
      case planner::StepAction::RemoveNetwork:
        co_await engine_.removeNetwork(step.target);
        break;
      case planner::StepAction::RemoveVolume:
        co_await engine_.removeVolume(step.target, false);
        break;
      default:
        co_await engine_.removeImage(step.target, false);
        break;
    }
  } catch (const Error& error) {
    if (error.kind() == ErrorKind::NotFound) co_return true;
    if (error.kind() != ErrorKind::Conflict || step.action == planner::StepAction::RemoveContainer)
      throw;
    progress::ProgressEvent event{wordingOf(step.action).resource, step.target,
                                  "Resource is still in use", progress::ProgressState::Warning,
                                  error.message()};
    progress_.emit(event);
    co_return false;
  }
  co_return true;
}

}  // namespace stack::orchestrator::executor
