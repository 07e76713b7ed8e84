// Supervisor: deciding readiness and waiting for it.

#include "orchestrator/supervisor/supervisor.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/error.hpp"

namespace stack::orchestrator::supervisor {
namespace asio = boost::asio;
using namespace boost::asio::experimental::awaitable_operators;

Supervisor::Supervisor(runtime::Engine& engine, const compose::Project& project,
                       const asio::any_io_executor& executor, SupervisorOptions options)
    : engine_(engine),
      project_(project),
      options_(options),
      state_(executor, project.name),
      monitor_(engine, state_, options.monitor),
      monitor_wanted_(executor) {}

asio::awaitable<void> Supervisor::serve() {
  while (!monitoring_) co_await monitor_wanted_.wait();
  co_await monitor_.run();
}

asio::awaitable<void> Supervisor::ensureMonitoring() {
  if (!monitoring_) {
    monitoring_ = true;
    monitor_wanted_.notify();
  }
  co_await monitor_.ready();
}

const ReadinessSpec& Supervisor::specOf(const std::string& service) {
  auto it = specs_.find(service);
  if (it == specs_.end()) {
    it = specs_.emplace(service, readinessSpec(project_.services.at(service), options_.readiness))
             .first;
  }
  return it->second;
}

namespace {

// An exit fails a wait unless the engine is about to restart the container. dockerd
// sets "restarting" before it sends the die event, and the monitor inspects after each
// die, so an inspected "exited" means no restart is coming: the policy gave up (or there
// is none).
bool restartPending(const ContainerStatus& container, bool may_restart) {
  return may_restart && !container.inspected;
}

}  // namespace

Supervisor::Check Supervisor::check(const std::string& service,
                                    const std::string& condition) const {
  const auto containers = state_.serviceContainers(service);
  if (containers.empty()) return {Verdict::Waiting, "no container yet"};
  auto spec_it = specs_.find(service);
  const bool may_restart = spec_it != specs_.end() && spec_it->second.may_restart;
  const bool probes = spec_it != specs_.end() && spec_it->second.probes();
  for (const auto* c : containers) {
    const bool exited = c->state == "exited" || c->state == "dead";
    const std::string code = c->exit_code ? std::to_string(*c->exit_code) : "?";
    const std::string restart_note = may_restart ? " and the engine did not restart it" : "";
    if (condition == "service_started") {
      if (c->state == "created") return {Verdict::Waiting, c->name + " is not started yet"};
    } else if (condition == "service_completed_successfully") {
      if (!exited) return {Verdict::Waiting, c->name + " is " + c->state};
      if (c->exit_code.value_or(-1) != 0) {
        if (restartPending(*c, may_restart))
          return {Verdict::Waiting, c->name + " exited with code " + code + "; restarting"};
        return {Verdict::Failed,
                c->name + " didn't complete successfully: exit " + code + restart_note};
      }
    } else if (exited) {
      if (restartPending(*c, may_restart))
        return {Verdict::Waiting, c->name + " exited with code " + code + "; restarting"};
      return {Verdict::Failed, c->name + " exited with code " + code + restart_note};
    } else if (c->state != "running") {
      return {Verdict::Waiting, c->name + " is " + c->state};
    } else if (condition == "service_healthy") {
      if (c->health == Health::Healthy || c->probed_ready) continue;
      if (c->health == Health::Unhealthy) {
        return {Verdict::Failed, "container " + c->name + " is unhealthy"};
      }
      if (c->inspected && !c->has_healthcheck && !probes) {
        return {Verdict::Failed, c->name + " has no healthcheck, so it can never be healthy"};
      }
      return {Verdict::Waiting, c->name + " is " + healthName(c->health)};
    }
  }
  return {Verdict::Ready, {}};
}

asio::awaitable<void> Supervisor::waitLoop(const std::string& service, const std::string& condition,
                                           std::string& last_detail) {
  while (true) {
    auto result = check(service, condition);
    last_detail = result.detail;
    if (result.verdict == Verdict::Ready) co_return;
    if (result.verdict == Verdict::Failed) {
      Error error(ErrorKind::Dependency, "service \"" + service + "\": " + result.detail);
      std::string hint = co_await diagnostics(service);
      error.setHint(std::move(hint));
      throw error;
    }
    co_await state_.changed().wait();
  }
}

asio::awaitable<void> Supervisor::awaitUntil(const std::string& service,
                                             const std::string& condition,
                                             std::chrono::milliseconds deadline) {
  co_await ensureMonitoring();
  specOf(service);  // check() reads the spec (restart policy, probes)
  std::vector<std::string> ids;
  for (const auto* container : state_.serviceContainers(service)) ids.push_back(container->id);
  co_await monitor_.refresh(std::move(ids));
  std::string last_detail;
  asio::steady_timer timer(co_await asio::this_coro::executor, deadline);
  auto outcome = co_await (capture(waitLoop(service, condition, last_detail)) ||
                           probeLoop(service) || explainLoop(service, condition) ||
                           timer.async_wait(asio::as_tuple(asio::use_awaitable)));
  if (outcome.index() == 0) co_return unwrap(std::get<0>(std::move(outcome)));
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(deadline).count();
  Error error(ErrorKind::Timeout, "service \"" + service + "\" did not become " +
                                      (condition == "service_healthy" ? "healthy" : "ready") +
                                      " within " + std::to_string(seconds) + " s (" + last_detail +
                                      ")");
  std::string hint = co_await diagnostics(service);
  error.setHint(std::move(hint));
  throw error;
}

asio::awaitable<void> Supervisor::await(const std::string& service, const std::string& condition) {
  // The plan starts a dependent only after its dependency's start steps: nothing to watch.
  if (condition == "service_started") co_return;
  if (!project_.services.count(service)) co_return;
  co_await awaitUntil(service, condition, specOf(service).deadline);
}

namespace {

// What `up --wait` reports once a service met its condition, as docker compose does.
const char* outcomeName(const std::string& condition) {
  if (condition == "service_healthy") return "Healthy";
  if (condition == "service_completed_successfully") return "Exited";
  return "Running";
}

std::string messageOf(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const Error& error) {
    return error.message();
  } catch (const std::exception& error) {
    return error.what();
  } catch (...) {
    return "unknown failure";
  }
}

}  // namespace

std::string Supervisor::conditionFor(const std::string& service) const {
  for (const auto& [_, other] : project_.services) {
    auto it = other.depends_on.find(service);
    if (it != other.depends_on.end() && it->second.condition == "service_completed_successfully") {
      return "service_completed_successfully";
    }
  }
  const auto& model = project_.services.at(service);
  const bool healthcheck = model.healthcheck && !model.healthcheck->disable;
  const bool host_probe =
      model.extensions.is_object() && model.extensions.contains("x-stack-readiness");
  if (healthcheck || host_probe) return "service_healthy";
  for (const auto* c : state_.serviceContainers(service)) {
    if (c->has_healthcheck) return "service_healthy";  // from the image
  }
  return "service_running";
}

asio::awaitable<void> Supervisor::awaitProject(const std::set<std::string>& services,
                                               std::optional<std::chrono::milliseconds> timeout) {
  co_await ensureMonitoring();
  auto executor = co_await asio::this_coro::executor;
  Signal done(executor);
  Signal stop(executor);
  size_t pending = services.size();
  std::vector<Error> errors;
  auto watch = [&](std::string service) -> asio::awaitable<void> {
    const auto deadline = timeout.value_or(specOf(service).deadline);
    const std::string condition = conditionFor(service);
    report(service, "Waiting", progress::ProgressState::Working);
    auto outcome = co_await (capture(awaitUntil(service, condition, deadline)) || stop.wait());
    if (outcome.index() == 1) throw Error(ErrorKind::Cancelled, "interrupted");
    std::exception_ptr failure = std::get<0>(std::move(outcome));
    if (failure) {
      report(service, "Error", progress::ProgressState::Error, messageOf(failure));
    } else {
      report(service, outcomeName(condition), progress::ProgressState::Done);
    }
    unwrap(failure);
  };
  for (const auto& service : services) {
    asio::co_spawn(executor, watch(service), [&](std::exception_ptr failure) {
      if (failure) {
        try {
          std::rethrow_exception(failure);
        } catch (const Error& error) {
          errors.push_back(error);
        } catch (const std::exception& error) {
          errors.emplace_back(ErrorKind::Internal, error.what());
        }
      }
      --pending;
      done.notify();
    });
  }
  // The handlers above refer to this frame: it outlives them even when cancelled, and
  // then it stops them first.
  co_await asio::this_coro::throw_if_cancelled(false);
  bool stopping = false;
  while (pending > 0) {
    co_await done.waitEvenIfCancelled();
    auto cancellation = co_await asio::this_coro::cancellation_state;
    if (!stopping && cancellation.cancelled() != asio::cancellation_type::none) {
      stopping = true;
      stop.notify();
      co_await asio::this_coro::reset_cancellation_state();
    }
  }
  if (stopping) throw Error(ErrorKind::Cancelled, "interrupted");
  if (errors.empty()) co_return;
  Error first = errors.front();
  for (size_t i = 1; i < errors.size(); ++i) {
    first.setHint(first.hint() + "\n" + errors[i].what() +
                  (errors[i].hint().empty() ? "" : "\n" + errors[i].hint()));
  }
  throw first;
}

}  // namespace stack::orchestrator::supervisor
