// Supervisor: stack's own readiness probes, and what it tells people when a wait fails.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/error.hpp"
#include "core/log.hpp"
#include "orchestrator/supervisor/supervisor.hpp"
#include "probes/probes.hpp"

namespace stack::orchestrator::supervisor {
namespace asio = boost::asio;
using namespace boost::asio::experimental::awaitable_operators;

namespace {

constexpr size_t kMaxProbeOutput = 4096;  // what the engine keeps per health check, too

// Runs the healthcheck test in the container; returns its exit code and output.
asio::awaitable<std::pair<int, std::string>> execProbe(runtime::Engine& engine,
                                                       const std::string& container,
                                                       const std::vector<std::string>& command) {
  runtime::ExecSpec spec;
  spec.cmd = command;
  const std::string exec_id = co_await engine.createExec(container, spec);
  const runtime::ExecStartOptions start;
  auto stream = co_await engine.startExec(exec_id, start);
  std::string output;
  while (auto chunk = co_await stream->next()) {
    if (output.size() < kMaxProbeOutput)
      output += chunk->data.substr(0, kMaxProbeOutput - output.size());
  }
  auto details = co_await engine.inspectExec(exec_id);
  co_return std::pair(details.exit_code.value_or(-1), output);
}

}  // namespace

asio::awaitable<void> Supervisor::probeOnce(const ContainerStatus& container,
                                            const ReadinessSpec& spec) {
  const std::string id = container.id;
  if (spec.host_probe) {
    auto port = host_ports_.find(id);
    if (port == host_ports_.end()) {
      auto details = co_await engine_.inspectContainer(id);
      const std::string key = std::to_string(spec.host_probe->container_port) + "/tcp";
      auto bindings = details.ports.find(key);
      if (bindings == details.ports.end() || bindings->second.empty()) co_return;
      port =
          host_ports_.emplace(id, static_cast<uint16_t>(std::stoi(bindings->second[0].host_port)))
              .first;
    }
    probes::ProbeResult result;
    if (spec.host_probe->http) {
      result = co_await probes::probeHttp(port->second, spec.host_probe->path,
                                          spec.host_probe->status, spec.exec_timeout);
    } else {
      result = co_await probes::probeTcp(port->second, spec.exec_timeout);
    }
    state_.applyProbe(id, result.ready, result.detail);
    co_return;
  }
  // The service's own test, else the one the image declares.
  std::vector<std::string> command = spec.exec_command;
  if (command.empty()) command = healthcheckCommand(container.health_test);
  if (command.empty()) co_return;
  asio::steady_timer timer(co_await asio::this_coro::executor, spec.exec_timeout);
  auto outcome = co_await (capture(execProbe(engine_, id, command)) ||
                           timer.async_wait(asio::as_tuple(asio::use_awaitable)));
  if (outcome.index() == 1) {
    state_.applyProbe(id, false, "probe timed out");
    co_return;
  }
  auto result = unwrap(std::get<0>(std::move(outcome)));
  state_.applyProbe(id, result.first == 0, result.second);
}

asio::awaitable<void> Supervisor::probeLoop(const std::string& service) {
  const ReadinessSpec& spec = specOf(service);
  // The cadence runs from the start of one round to the start of the next, so a slow
  // exec does not stretch the delay between readiness and its detection.
  asio::steady_timer next_round(co_await asio::this_coro::executor);
  while (true) {
    next_round.expires_after(spec.cadence);
    for (const auto* container : state_.serviceContainers(service)) {
      if (container->state != "running" || container->probed_ready ||
          container->health == Health::Healthy) {
        continue;
      }
      if (!spec.probes() && !container->has_healthcheck) continue;
      try {
        co_await probeOnce(*container, spec);
      } catch (const Error& error) {
        if (error.kind() == ErrorKind::Cancelled) throw;
        // The container stopped between our look and the exec: the events will say so.
        log::get("supervisor")->debug("probe of {} failed: {}", container->name, error.what());
      }
    }
    co_await next_round.async_wait(asio::use_awaitable);
  }
}

namespace {

// The first line of a probe's output, short enough for a progress line.
std::string probeSummary(const std::string& output) {
  constexpr size_t kMaxShown = 120;
  std::string line = output.substr(0, output.find_first_of("\r\n"));
  if (line.size() > kMaxShown) line = line.substr(0, kMaxShown) + "...";
  return line;
}

}  // namespace

std::string Supervisor::waitingReason(const std::string& service,
                                      const std::string& condition) const {
  std::string reason = check(service, condition).detail;
  for (const auto* container : state_.serviceContainers(service)) {
    if (container->probed_ready || container->health == Health::Healthy) continue;
    const std::string& output = container->last_probe_output.empty() ? container->last_health_output
                                                                     : container->last_probe_output;
    if (container->failed_probes == 0 && output.empty()) continue;
    reason +=
        "; " + container->name + ": " + std::to_string(container->failed_probes) + " failed probes";
    const std::string summary = probeSummary(output);
    if (!summary.empty()) reason += ": " + summary;
  }
  return reason;
}

void Supervisor::report(const std::string& service, const std::string& status,
                        progress::ProgressState state, const std::string& detail) const {
  if (options_.progress == nullptr) return;
  options_.progress->emit({"Service", service, status, state, detail});
}

asio::awaitable<void> Supervisor::explainLoop(const std::string& service,
                                              const std::string& condition) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  if (options_.progress == nullptr) {
    timer.expires_at(asio::steady_timer::time_point::max());
    co_await timer.async_wait(asio::use_awaitable);  // until the wait ends and cancels it
  }
  timer.expires_after(options_.explain_after);
  co_await timer.async_wait(asio::use_awaitable);
  std::string shown;
  while (true) {
    std::string reason = waitingReason(service, condition);
    if (reason != shown) {
      report(service, "Waiting", progress::ProgressState::Working, reason);
      shown = std::move(reason);
    }
    timer.expires_after(std::chrono::seconds(1));
    co_await timer.async_wait(asio::use_awaitable);
  }
}

asio::awaitable<std::string> Supervisor::diagnostics(const std::string& service) {
  std::string text;
  const bool tty = project_.services.count(service) && project_.services.at(service).tty;
  for (const auto* container : state_.serviceContainers(service)) {
    const std::string name = container->name;
    std::string health = container->last_health_output.empty() ? container->last_probe_output
                                                               : container->last_health_output;
    while (!health.empty() && (health.back() == '\n' || health.back() == '\r')) health.pop_back();
    if (!health.empty()) text += "last health check output of " + name + ": " + health + "\n";
    try {
      runtime::LogsOptions options;
      options.tail = "10";
      options.tty = tty;
      auto stream = co_await engine_.logs(container->id, options);
      std::string logs;
      while (auto chunk = co_await stream->next()) logs += chunk->data;
      if (!logs.empty()) text += "last log lines of " + name + ":\n" + logs;
    } catch (const Error& error) {
      if (error.kind() == ErrorKind::Cancelled) throw;
    }
  }
  if (!text.empty() && text.back() == '\n') text.pop_back();
  co_return text.empty() ? "check its logs with `stack logs " + service + "`" : text;
}

}  // namespace stack::orchestrator::supervisor
