#include "orchestrator/supervisor/readiness_spec.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "orchestrator/compose/policies.hpp"
#include "orchestrator/compose/units.hpp"

namespace stack::orchestrator::supervisor {
namespace {

using std::chrono::milliseconds;

milliseconds toMillis(compose::Duration duration) {
  return std::chrono::duration_cast<milliseconds>(duration);
}

[[noreturn]] void badExtension(const compose::Service& service, const std::string& what) {
  throw configError({.key_path = "services." + service.name + ".x-stack-readiness"}, what,
                    "use e.g. `x-stack-readiness: {http: 8080, path: /health}` or "
                    "`x-stack-readiness: {tcp: 5432}`");
}

uint16_t portOf(const compose::Service& service, const compose::Json& value) {
  if (!value.is_number_integer() || value.get<int64_t>() <= 0 || value.get<int64_t>() > 65535) {
    badExtension(service, "the port must be a number between 1 and 65535");
  }
  const auto port = static_cast<uint16_t>(value.get<int64_t>());
  const bool published =
      std::any_of(service.ports.begin(), service.ports.end(),
                  [&](const compose::PortConfig& p) { return p.target == port; });
  if (!published) {
    badExtension(service, "container port " + std::to_string(port) +
                              " is not published; stack probes it on 127.0.0.1 through the "
                              "published port");
  }
  return port;
}

std::optional<HostProbeSpec> hostProbe(const compose::Service& service, milliseconds& cadence) {
  if (!service.extensions.is_object() || !service.extensions.contains("x-stack-readiness")) {
    return std::nullopt;
  }
  const auto& spec = service.extensions["x-stack-readiness"];
  if (!spec.is_object()) badExtension(service, "expected a mapping");
  HostProbeSpec probe;
  for (auto it = spec.begin(); it != spec.end(); ++it) {
    const std::string& key = it.key();
    if (key == "tcp" || key == "http") {
      probe.http = key == "http";
      probe.container_port = portOf(service, it.value());
    } else if (key == "path" && it.value().is_string()) {
      probe.path = it.value().get<std::string>();
      if (probe.path.empty() || probe.path.front() != '/') probe.path = "/" + probe.path;
    } else if (key == "status" && it.value().is_number_integer()) {
      probe.status = it.value().get<int>();
    } else if (key == "interval" && it.value().is_string()) {
      auto parsed = compose::parseDuration(it.value().get<std::string>());
      if (!parsed || parsed->count() <= 0) badExtension(service, "invalid interval");
      cadence = toMillis(*parsed);
    } else {
      badExtension(service, "unknown or mistyped key \"" + key + "\"");
    }
  }
  if (probe.container_port == 0) badExtension(service, "name a port with `tcp:` or `http:`");
  return probe;
}

}  // namespace

std::vector<std::string> healthcheckCommand(const std::vector<std::string>& test) {
  if (test.size() >= 2 && test[0] == "CMD") return {test.begin() + 1, test.end()};
  if (test.size() == 2 && test[0] == "CMD-SHELL") return {"/bin/sh", "-c", test[1]};
  return {};
}

ReadinessSpec readinessSpec(const compose::Service& service, const ReadinessDefaults& defaults) {
  ReadinessSpec spec;
  spec.cadence = defaults.cadence;
  milliseconds interval{30000};
  milliseconds start_period{0};
  uint64_t retries = 3;
  if (service.healthcheck && !service.healthcheck->disable) {
    const auto& check = *service.healthcheck;
    spec.exec_command = healthcheckCommand(check.test);
    if (check.timeout) spec.exec_timeout = toMillis(*check.timeout);
    if (check.interval) interval = toMillis(*check.interval);
    if (check.start_period) start_period = toMillis(*check.start_period);
    if (check.retries) retries = *check.retries;
    if (check.start_interval) spec.cadence = toMillis(*check.start_interval);
  }
  spec.host_probe = hostProbe(service, spec.cadence);
  const auto derived =
      start_period + (interval + spec.exec_timeout) * static_cast<int64_t>(retries + 1);
  spec.deadline = defaults.deadline.value_or(std::max(derived, milliseconds(60000)));
  // `restart` or deploy.restart_policy: the policy the engine applies to the container.
  spec.may_restart = compose::restartPolicyOf(service).mayRestart();
  return spec;
}

}  // namespace stack::orchestrator::supervisor
