#pragma once

// How the supervisor decides that a service is ready, derived from its compose model:
//
// - its healthcheck test, which stack also runs itself through exec while the container
//   is starting and something waits on it, at a short cadence (`start_interval` when
//   set, else 200 ms), so a dependent need not wait for the engine's interval;
// - an optional host-side probe, declared with the extension key `x-stack-readiness`:
//
//     x-stack-readiness:
//       http: 8080          # or `tcp: 5432`: a container port the service publishes
//       path: /health       # http only; default "/"
//       status: 200         # http only; default: any 2xx
//       interval: 100ms     # default 200ms
//
//   stack probes the published port on 127.0.0.1. A service with such a probe can be
//   depended on with `condition: service_healthy` even without a healthcheck.
//
// The deadline of a dependency gate is --wait-timeout when given, else what the
// healthcheck itself allows: start_period + (interval + timeout) * (retries + 1), at
// least 60 s.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "orchestrator/compose/model.hpp"

namespace stack::orchestrator::supervisor {

struct HostProbeSpec {
  bool http = false;
  uint16_t container_port = 0;
  std::string path = "/";
  int status = 0;  // 0: any 2xx
};

struct ReadinessSpec {
  std::vector<std::string> exec_command;  // the healthcheck test as an exec; empty: none
  std::chrono::milliseconds exec_timeout{30000};
  std::chrono::milliseconds cadence{200};
  std::optional<HostProbeSpec> host_probe;
  std::chrono::milliseconds deadline{60000};
  bool may_restart = false;  // a restart policy can bring an exited container back

  bool probes() const { return !exec_command.empty() || host_probe.has_value(); }
};

struct ReadinessDefaults {
  std::chrono::milliseconds cadence{200};
  std::optional<std::chrono::milliseconds> deadline;  // --wait-timeout
};

// Throws a Config error (key path services.<name>.x-stack-readiness) for a malformed
// extension.
ReadinessSpec readinessSpec(const compose::Service& service, const ReadinessDefaults& defaults);

// The exec form of a healthcheck test: ["CMD", a, b] -> [a, b];
// ["CMD-SHELL", s] -> ["/bin/sh", "-c", s]; anything else -> empty.
std::vector<std::string> healthcheckCommand(const std::vector<std::string>& test);

}  // namespace stack::orchestrator::supervisor
