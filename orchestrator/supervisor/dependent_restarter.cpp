#include "orchestrator/supervisor/dependent_restarter.hpp"

#include <fmt/format.h>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/async.hpp"
#include "core/error.hpp"
#include "core/log.hpp"

namespace stack::orchestrator::supervisor {
namespace asio = boost::asio;
using namespace boost::asio::experimental::awaitable_operators;

namespace {

asio::awaitable<void> sleepFor(std::chrono::milliseconds duration) {
  asio::steady_timer timer(co_await asio::this_coro::executor, duration);
  co_await timer.async_wait(asio::use_awaitable);
}

std::string seconds(std::chrono::milliseconds duration) {
  return fmt::format("{:.1f}s", static_cast<double>(duration.count()) / 1000.0);
}

}  // namespace

DependentRestarter::DependentRestarter(runtime::Engine& engine, const compose::Project& project,
                                       Supervisor& supervisor, progress::ProgressSink& progress,
                                       std::optional<int> stop_timeout_seconds)
    : engine_(engine),
      project_(project),
      supervisor_(supervisor),
      progress_(progress),
      stop_timeout_(stop_timeout_seconds) {
  for (const auto& [name, service] : project.services) {
    auto dependents = supervisedDependents(project, name);
    if (!dependents.empty()) dependents_[name] = std::move(dependents);
  }
}

void DependentRestarter::say(const std::string& message, bool warning) {
  log::get("supervisor")->info("{}", message);
  if (warning)
    progress_.warn("Supervisor: " + message);
  else
    progress_.info("Supervisor: " + message);
}

DependentRestarter::Mark DependentRestarter::markOf(const std::string& service) const {
  Mark mark;
  for (const ContainerStatus* container : supervisor_.state().serviceContainers(service)) {
    mark.starts += container->starts;
    mark.unhealthy = mark.unhealthy || container->health == Health::Unhealthy;
  }
  return mark;
}

asio::awaitable<void> DependentRestarter::run() {
  if (dependents_.empty()) co_return;
  co_await supervisor_.watch();
  std::map<std::string, Mark> seen;
  for (const auto& [dependency, dependents] : dependents_) seen[dependency] = markOf(dependency);
  bool acted = false;
  for (;;) {
    if (!acted) co_await supervisor_.state().changed().wait();
    acted = false;
    for (const auto& [dependency, dependents] : dependents_) {
      const Mark now = markOf(dependency);
      std::string cause;
      if (now.unhealthy && !seen[dependency].unhealthy) cause = "unhealthy";
      if (now.starts > seen[dependency].starts) cause = "restarted by the engine";
      seen[dependency] = now;
      if (cause.empty()) continue;
      co_await handle(dependency, cause);
      seen[dependency] = markOf(dependency);  // the same incident, until it is ready again
      acted = true;                           // other marks may have moved meanwhile
    }
  }
}

asio::awaitable<void> DependentRestarter::settle(const std::string& dependency) {
  for (;;) {
    auto containers = supervisor_.state().serviceContainers(dependency);
    bool settled = !containers.empty();
    for (const ContainerStatus* container : containers) {
      settled = settled && container->state == "running" && container->health != Health::Unhealthy;
    }
    if (settled) co_return;
    co_await supervisor_.state().changed().wait();
  }
}

asio::awaitable<std::string> DependentRestarter::awaitReadyAgain(
    const std::string& dependency, std::chrono::milliseconds timeout) {
  const auto started = std::chrono::steady_clock::now();
  auto settled = co_await (settle(dependency) || sleepFor(timeout));
  if (settled.index() == 1) {
    std::string state = "gone";
    auto containers = supervisor_.state().serviceContainers(dependency);
    if (!containers.empty()) {
      state = containers.front()->state;
      if (containers.front()->health != Health::None)
        state += std::string(", ") + healthName(containers.front()->health);
    }
    co_return "not running and healthy within " + seconds(timeout) + " (" + state + ")";
  }
  auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  const std::set<std::string> services{dependency};
  std::optional<std::chrono::milliseconds> left = std::max(timeout - spent, timeout / 10);
  std::exception_ptr failure = co_await capture(supervisor_.awaitProject(services, left));
  if (!failure) co_return std::string();
  try {
    std::rethrow_exception(failure);
  } catch (const Error& error) {
    if (error.kind() == ErrorKind::Cancelled) throw;
    co_return error.message();
  }
}

asio::awaitable<void> DependentRestarter::handle(const std::string& dependency,
                                                 const std::string& cause) {
  const auto& dependents = dependents_.at(dependency);
  std::chrono::milliseconds timeout{0};
  for (const auto& dependent : dependents) {
    timeout = std::max(timeout, supervisePolicyOf(project_, dependent).ready_timeout);
  }
  say(dependency + " " + cause + "; waiting until it is ready again to restart " +
      fmt::format("{}", fmt::join(dependents, ", ")));
  const std::string not_ready = co_await awaitReadyAgain(dependency, timeout);
  if (!not_ready.empty()) {
    say(fmt::format("not restarting {}: {} is {}", fmt::join(dependents, ", "), dependency,
                    not_ready),
        true);
    co_return;
  }
  for (const auto& dependent : dependents) co_await restartDependent(dependent, dependency, cause);
}

asio::awaitable<void> DependentRestarter::restartDependent(const std::string& dependent,
                                                           const std::string& dependency,
                                                           const std::string& cause) {
  const SupervisePolicy policy = supervisePolicyOf(project_, dependent);
  int& made = restarts_[dependent];
  const auto delay = nextRestartDelay(policy, made);
  if (!delay) {
    say(fmt::format("not restarting {} after {} was {}: limit of {} supervised restarts reached",
                    dependent, dependency, cause, policy.max_restarts),
        true);
    co_return;
  }
  if (delay->count() > 0) {
    say("restarting " + dependent + " in " + seconds(*delay) + " (backoff)");
    co_await sleepFor(*delay);
  }
  // A restart waits the stop timeout, then kills: bound it by that plus a margin.
  const auto limit = std::chrono::seconds(stop_timeout_.value_or(10) + 30);
  for (const ContainerStatus* container : supervisor_.state().serviceContainers(dependent)) {
    const std::string id = container->id;
    const std::string name = container->name;
    std::exception_ptr failure;
    auto outcome =
        co_await (capture(engine_.restartContainer(id, stop_timeout_)) || sleepFor(limit));
    if (outcome.index() == 1) {
      say("restart of " + name + " did not finish within " + seconds(limit), true);
      continue;
    }
    failure = std::get<0>(std::move(outcome));
    if (failure) {
      try {
        std::rethrow_exception(failure);
      } catch (const Error& error) {
        if (error.kind() == ErrorKind::Cancelled) throw;
        say("cannot restart " + name + ": " + error.message(), true);
        continue;
      }
    }
  }
  ++made;
  say(fmt::format("restarted {} after {} was {} and is ready again (restart {} of {})", dependent,
                  dependency, cause, made, policy.max_restarts));
}

}  // namespace stack::orchestrator::supervisor
