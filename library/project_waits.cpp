// Endpoints and per-service waits (Project::endpoint, Project::waitFor, stack::async) for
// programs and the test fixture. Healthy waits are the supervisor's own (the engine's
// health reports and stack's probes, driven by events); log, port and HTTP waits poll
// on a timer with a deadline. All of it runs on one EngineCall's loop, never blocking it.
//
// g++ 12 mishandles temporaries inside a co_await expression (a range-for over a
// co_await result, `?:` with co_await on each side, a temporary argument, a co_await in a
// throw expression): results are named first, here and in project_calls.cpp.

#include <algorithm>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <regex>
#include <set>

#include "core/async.hpp"
#include "core/error.hpp"
#include "library/project_calls.hpp"
#include "orchestrator/supervisor/supervisor.hpp"
#include "probes/probes.hpp"
#include "runtime/container_phase.hpp"

namespace stack::library {
namespace asio = boost::asio;
using namespace boost::asio::experimental::awaitable_operators;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

// The host of DOCKER_HOST when it is tcp://host:port; "" for a local engine.
std::string remoteEngineHost() {
  const char* value = std::getenv("DOCKER_HOST");
  std::string host = value ? value : "";
  if (host.rfind("tcp://", 0) != 0) return {};
  host = host.substr(6);
  if (!host.empty() && host.front() == '[') return host.substr(1, host.find(']') - 1);
  return host.substr(0, host.find_first_of(":/"));
}

std::string secondsText(milliseconds value) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(value).count()) + " s";
}

asio::awaitable<void> sleepFor(milliseconds duration) {
  asio::steady_timer timer(co_await asio::this_coro::executor, duration);
  co_await timer.async_wait(asio::use_awaitable);
}

// The service's containers have all exited: a wait on them can no longer succeed.
bool allExited(const std::vector<ContainerInfo>& containers, const std::string& service,
               bool* zero) {
  bool any = false;
  bool exited_zero = true;
  for (const auto& container : containers) {
    if (container.service != service) continue;
    any = true;
    if (!runtime::hasExited(container.state)) return false;
    if (container.status.rfind("Exited (0)", 0) != 0) exited_zero = false;
  }
  if (zero) *zero = any && exited_zero;
  return any;
}

// The service's last `lines` log lines, "web-1 | ..." one per line; "" when none (or the
// engine cannot give them: this only decorates another error).
asio::awaitable<std::string> lastLogLines(EngineCall& call, const std::string& project,
                                          const std::string& service, int lines) {
  std::string out;
  try {
    LogsOptions options;
    options.tail = std::to_string(lines);
    const std::vector<LogLine> lines_read = co_await logsOn(call, project, service, options);
    for (const auto& line : lines_read) {
      out += line.container + " | " + line.text + "\n";
    }
  } catch (const Error& error) {
    if (error.kind() == ErrorKind::Cancelled) throw;
    co_return std::string();
  }
  co_return out.empty() ? std::string() : "last log lines of \"" + service + "\":\n" + out;
}

// Supervisor readiness of one service; a one-shot container that exited 0 counts as
// ready (compose's `up --wait` gets this wrong, docker/compose#10596).
asio::awaitable<void> waitHealthy(EngineCall& call, const Project::Impl& project,
                                  const std::string& service, milliseconds deadline) {
  std::exception_ptr failure;
  {
    orchestrator::supervisor::Supervisor supervisor(call.engine, project.model, call.executor);
    std::set<std::string> services{service};
    auto outcome =
        co_await (capture(supervisor.awaitProject(services, deadline)) || supervisor.serve());
    if (outcome.index() == 0) failure = std::get<0>(std::move(outcome));
  }
  if (!failure) co_return;
  try {
    std::rethrow_exception(failure);
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::Dependency) throw;
  }
  bool zero = false;
  const std::vector<ContainerInfo> containers = co_await psOn(call, project.model.name, true);
  if (allExited(containers, service, &zero) && zero) co_return;
  std::rethrow_exception(failure);
}

using Check = std::function<asio::awaitable<bool>(std::string& detail)>;

// Polls until `ready` says so, the service's containers all exit, or the deadline.
asio::awaitable<void> pollUntil(EngineCall& call, const std::string& project,
                                const std::string& service, const Wait& wait,
                                const std::string& goal, Clock::time_point end, Check ready) {
  std::string detail = "not checked yet";
  for (;;) {
    if (co_await ready(detail)) co_return;
    const std::vector<ContainerInfo> containers = co_await psOn(call, project, true);
    if (allExited(containers, service, nullptr)) {
      std::string hint = co_await lastLogLines(call, project, service, 20);
      throw Error(ErrorKind::Dependency,
                  "service \"" + service + "\" exited before " + goal + " (" + detail + ")",
                  std::move(hint));
    }
    if (Clock::now() >= end) {
      std::string hint = co_await lastLogLines(call, project, service, 20);
      throw Error(ErrorKind::Timeout,
                  "service \"" + service + "\": " + goal + " did not happen within " +
                      secondsText(wait.deadline) + " (" + detail + ")",
                  std::move(hint));
    }
    co_await sleepFor(wait.poll);
  }
}

// The published port of `wait.container_port` once the container runs; throws at once
// when the file does not publish it.
asio::awaitable<uint16_t> publishedPort(EngineCall& call, const Project::Impl& project,
                                        const std::string& service, const Wait& wait,
                                        Clock::time_point end) {
  bool declared = false;
  for (const auto& port : project.model.services.at(service).ports)
    declared = declared || port.target == wait.container_port;
  if (!declared) {
    throw Error(
        ErrorKind::NotFound,
        "service \"" + service + "\" does not publish port " + std::to_string(wait.container_port),
        "add \"" + std::to_string(wait.container_port) +
            "\" to its ports (an ephemeral host port is enough)");
  }
  for (;;) {
    try {
      auto containers = co_await psOn(call, project.model.name, false);
      co_return endpointOf(bindingsOf(containers, service, wait.container_port, "tcp", 0)).port;
    } catch (const Error& error) {
      if (error.kind() != ErrorKind::NotFound || Clock::now() >= end) throw;
    }
    co_await sleepFor(wait.poll);
  }
}

asio::awaitable<void> waitForLog(EngineCall& call, const Project::Impl& project,
                                 const std::string& service, const Wait& wait,
                                 Clock::time_point end) {
  std::regex pattern;
  try {
    pattern = std::regex(wait.pattern);
  } catch (const std::regex_error& error) {
    throw Error(ErrorKind::Usage, "invalid log pattern /" + wait.pattern + "/: " + error.what());
  }
  const std::string& name = project.model.name;
  const std::string goal = "a log line matching /" + wait.pattern + "/";
  const Check matched = [&](std::string& detail) -> asio::awaitable<bool> {
    const LogsOptions all_lines;
    const std::vector<LogLine> lines = co_await logsOn(call, name, service, all_lines);
    for (const auto& line : lines) {
      if (std::regex_search(line.text, pattern)) co_return true;
    }
    detail = "no match yet";
    co_return false;
  };
  co_await pollUntil(call, name, service, wait, goal, end, matched);
}

asio::awaitable<void> waitForPort(EngineCall& call, const Project::Impl& project,
                                  const std::string& service, const Wait& wait,
                                  Clock::time_point end) {
  const uint16_t host_port = co_await publishedPort(call, project, service, wait, end);
  const bool http = wait.kind == Wait::Kind::Http;
  const std::string goal =
      (http ? "HTTP 2xx on port " : "a connection to port ") + std::to_string(wait.container_port);
  const Check answered = [&](std::string& detail) -> asio::awaitable<bool> {
    const auto left = std::chrono::duration_cast<milliseconds>(end - Clock::now());
    const auto attempt = std::clamp(left, milliseconds(50), milliseconds(1000));
    probes::ProbeResult result;
    if (http) {
      result = co_await probes::probeHttp(host_port, wait.path, 0, attempt);
    } else {
      result = co_await probes::probeTcp(host_port, attempt);
    }
    detail = result.detail;
    co_return result.ready;
  };
  co_await pollUntil(call, project.model.name, service, wait, goal, end, answered);
}

}  // namespace

Endpoint endpointOf(const std::vector<PortBinding>& bindings) {
  auto rank = [](const std::string& ip) {
    if (ip == "127.0.0.1") return 0;
    if (ip == "0.0.0.0" || ip.empty()) return 1;
    if (ip.find(':') == std::string::npos) return 2;  // another IPv4 address of this host
    return ip == "::1" ? 3 : 4;
  };
  const PortBinding* best = &bindings.front();
  for (const auto& binding : bindings) {
    if (rank(binding.host_ip) < rank(best->host_ip)) best = &binding;
  }
  const std::string remote = remoteEngineHost();
  Endpoint out{"127.0.0.1", best->host_port};
  if (!remote.empty()) {
    out.host = remote;
  } else if (rank(best->host_ip) == 2) {
    out.host = best->host_ip;
  } else if (rank(best->host_ip) >= 3) {
    out.host = "::1";
  }
  return out;
}

asio::awaitable<void> waitOn(EngineCall& call, const Project::Impl& project,
                             const std::string& service, const Wait& wait) {
  if (!project.model.services.count(service)) {
    throw Error(ErrorKind::Usage, "cannot wait for service \"" + service + "\": project \"" +
                                      project.model.name + "\" has no such service");
  }
  const auto end = Clock::now() + wait.deadline;
  switch (wait.kind) {
    case Wait::Kind::Healthy:
      co_await waitHealthy(call, project, service, wait.deadline);
      break;
    case Wait::Kind::Log:
      co_await waitForLog(call, project, service, wait, end);
      break;
    case Wait::Kind::Port:
    case Wait::Kind::Http:
      co_await waitForPort(call, project, service, wait, end);
      break;
  }
}

}  // namespace stack::library
