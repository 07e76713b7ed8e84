// Project::endpoint and Project::waitFor: per-service readiness for programs and the test
// fixture. Healthy waits are the supervisor's own (the engine's health reports and
// stack's probes, driven by events); log, port and HTTP waits poll with a deadline.

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdlib>
#include <regex>
#include <set>
#include <thread>

#include "core/async.hpp"
#include "core/error.hpp"
#include "library/engine_call.hpp"
#include "library/project_impl.hpp"
#include "orchestrator/supervisor/supervisor.hpp"
#include "probes/probes.hpp"
#include "runtime/container_phase.hpp"
#include "stack/project.hpp"

namespace stack {
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

// Runs one probe on a private loop (probes need no engine).
probes::ProbeResult runProbe(const Wait& wait, uint16_t port, milliseconds timeout) {
  asio::io_context io;
  probes::ProbeResult result;
  auto body = [&]() -> asio::awaitable<void> {
    if (wait.kind == Wait::Kind::Http) {
      result = co_await probes::probeHttp(port, wait.path, 0, timeout);
    } else {
      result = co_await probes::probeTcp(port, timeout);
    }
  };
  asio::co_spawn(io, body(), asio::detached);
  io.run();
  return result;
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

}  // namespace

namespace library {

std::string lastLogLines(const Project& project, const std::string& service, int lines) {
  try {
    LogsOptions options;
    options.tail = std::to_string(lines);
    std::string out;
    for (const auto& line : project.logs(service, options)) {
      out += line.container + " | " + line.text + "\n";
    }
    return out.empty() ? std::string() : "last log lines of \"" + service + "\":\n" + out;
  } catch (const Error&) {
    return {};
  }
}

}  // namespace library

Endpoint Project::endpoint(const std::string& service, uint16_t container_port,
                           const std::string& protocol, int index) const {
  const std::vector<PortBinding> bindings = port(service, container_port, protocol, index);
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

namespace {

// Supervisor readiness of one service; a one-shot container that exited 0 counts as
// ready (compose's `up --wait` gets this wrong, docker/compose#10596).
void waitHealthy(const Project& project, const orchestrator::compose::Project& model,
                 const std::string& service, milliseconds deadline) {
  try {
    library::runEngineCall("wait", [&](library::EngineCall& call) -> asio::awaitable<void> {
      orchestrator::supervisor::Supervisor supervisor(call.engine, model, call.io.get_executor());
      std::set<std::string> services{service};
      auto outcome =
          co_await (capture(supervisor.awaitProject(services, deadline)) || supervisor.serve());
      if (outcome.index() == 0) unwrap(std::get<0>(std::move(outcome)));
    });
  } catch (const Error& error) {
    bool zero = false;
    if (error.kind() == ErrorKind::Dependency && allExited(project.ps(true), service, &zero) &&
        zero) {
      return;
    }
    throw;
  }
}

// The published port of `wait.container_port` once the container runs; throws at once
// when the file does not publish it.
uint16_t publishedPort(const Project& project, const orchestrator::compose::Service& model,
                       const std::string& service, const Wait& wait, Clock::time_point end) {
  bool declared = false;
  for (const auto& port : model.ports) declared = declared || port.target == wait.container_port;
  if (!declared) {
    throw Error(
        ErrorKind::NotFound,
        "service \"" + service + "\" does not publish port " + std::to_string(wait.container_port),
        "add \"" + std::to_string(wait.container_port) +
            "\" to its ports (an ephemeral host port is enough)");
  }
  for (;;) {
    try {
      return project.endpoint(service, wait.container_port).port;
    } catch (const Error& error) {
      if (error.kind() != ErrorKind::NotFound || Clock::now() >= end) throw;
    }
    std::this_thread::sleep_for(wait.poll);
  }
}

// Polls until `ready()` says so, the service's containers all exit, or the deadline.
template <class Ready>
void pollUntil(const Project& project, const std::string& service, const Wait& wait,
               const std::string& goal, Clock::time_point end, Ready ready) {
  std::string detail = "not checked yet";
  for (;;) {
    if (ready(detail)) return;
    if (allExited(project.ps(true), service, nullptr)) {
      throw Error(ErrorKind::Dependency,
                  "service \"" + service + "\" exited before " + goal + " (" + detail + ")",
                  library::lastLogLines(project, service, 20));
    }
    if (Clock::now() >= end) {
      throw Error(ErrorKind::Timeout,
                  "service \"" + service + "\": " + goal + " did not happen within " +
                      secondsText(wait.deadline) + " (" + detail + ")",
                  library::lastLogLines(project, service, 20));
    }
    std::this_thread::sleep_for(wait.poll);
  }
}

}  // namespace

void Project::waitFor(const std::string& service, const Wait& wait) {
  auto it = impl_->model.services.find(service);
  if (it == impl_->model.services.end()) {
    throw Error(ErrorKind::Usage, "cannot wait for service \"" + service + "\": project \"" +
                                      name() + "\" has no such service");
  }
  const auto end = Clock::now() + wait.deadline;
  if (wait.kind == Wait::Kind::Healthy)
    return waitHealthy(*this, impl_->model, service, wait.deadline);
  if (wait.kind == Wait::Kind::Log) {
    std::regex pattern;
    try {
      pattern = std::regex(wait.pattern);
    } catch (const std::regex_error& error) {
      throw Error(ErrorKind::Usage, "invalid log pattern /" + wait.pattern + "/: " + error.what());
    }
    return pollUntil(*this, service, wait, "a log line matching /" + wait.pattern + "/", end,
                     [&](std::string& detail) {
                       for (const auto& line : logs(service)) {
                         if (std::regex_search(line.text, pattern)) return true;
                       }
                       detail = "no match yet";
                       return false;
                     });
  }
  const uint16_t host_port = publishedPort(*this, it->second, service, wait, end);
  const std::string goal =
      (wait.kind == Wait::Kind::Http ? "HTTP 2xx on port " : "a connection to port ") +
      std::to_string(wait.container_port);
  pollUntil(*this, service, wait, goal, end, [&](std::string& detail) {
    const auto left = std::chrono::duration_cast<milliseconds>(end - Clock::now());
    const auto attempt = std::clamp(left, milliseconds(50), milliseconds(1000));
    probes::ProbeResult result = runProbe(wait, host_port, attempt);
    detail = result.detail;
    return result.ready;
  });
}

}  // namespace stack
