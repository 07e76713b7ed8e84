#include "orchestrator/supervisor/polling_waiter.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/error.hpp"
#include "orchestrator/labels.hpp"

namespace stack::orchestrator {
namespace asio = boost::asio;

PollingWaiter::PollingWaiter(runtime::Engine& engine, std::string project, PollingOptions options)
    : engine_(engine), project_(std::move(project)), options_(options) {}

asio::awaitable<void> PollingWaiter::await(const std::string& service,
                                           const std::string& condition) {
  const auto deadline = std::chrono::steady_clock::now() + options_.deadline;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  std::string last_state;
  while (!co_await holds(service, condition, last_state)) {
    if (std::chrono::steady_clock::now() >= deadline) {
      throw Error(ErrorKind::Timeout,
                  "service \"" + service + "\" did not become " +
                      (condition == "service_healthy" ? "healthy" : "ready") + " within " +
                      std::to_string(options_.deadline.count() / 1000) + " s" +
                      (last_state.empty() ? "" : " (last state: " + last_state + ")"),
                  "check its logs with `stack logs " + service + "`");
    }
    timer.expires_after(options_.interval);
    co_await timer.async_wait(asio::use_awaitable);
  }
}

asio::awaitable<bool> PollingWaiter::holds(const std::string& service,
                                           const std::string& condition,
                                           std::string& last_state) {
  runtime::ListFilter filter;
  filter.labels = {labels::filter(labels::kProject, project_),
                   labels::filter(labels::kService, service),
                   labels::filter(labels::kOneoff, "False")};
  auto containers = co_await engine_.listContainers(filter);
  if (containers.empty()) {
    last_state = "no container";
    co_return false;
  }
  for (const auto& container : containers) {
    last_state = container.name + " " + container.status;
    if (condition == "service_completed_successfully") {
      if (container.state != "exited" && container.state != "dead") co_return false;
      auto details = co_await engine_.inspectContainer(container.id);
      if (details.state.exit_code != 0) {
        throw Error(ErrorKind::Dependency,
                    "service \"" + service + "\" didn't complete successfully: exit " +
                        std::to_string(details.state.exit_code),
                    "check its logs with `stack logs " + service + "`");
      }
      continue;
    }
    if (container.state == "created") co_return false;
    if (condition != "service_healthy") continue;
    if (container.state == "exited" || container.state == "dead") {
      throw Error(ErrorKind::Dependency,
                  "service \"" + service + "\" exited before it became healthy (" +
                      container.status + ")",
                  "check its logs with `stack logs " + service + "`");
    }
    auto details = co_await engine_.inspectContainer(container.id);
    if (!details.state.health) {
      throw Error(ErrorKind::Dependency,
                  "service \"" + service + "\" has no healthcheck, so it can never be healthy",
                  "add a healthcheck to the service, or depend on it with "
                  "`condition: service_started`");
    }
    last_state = container.name + " " + details.state.health->status;
    if (!details.state.health->log.empty()) {
      last_state += ": " + details.state.health->log.back().output;
    }
    if (details.state.health->status != "healthy") co_return false;
  }
  co_return true;
}

}  // namespace stack::orchestrator
