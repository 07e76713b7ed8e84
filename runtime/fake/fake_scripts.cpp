#include "runtime/fake/fake_scripts.hpp"

#include <iterator>
#include <memory>
#include <utility>

namespace stack::runtime::fake {

HealthScript HealthScript::healthy() {
  return {[](int, nanoseconds) { return ProbeResult{}; }};
}

HealthScript HealthScript::healthyAfterProbes(int failing) {
  return {[failing](int probe, nanoseconds) {
    if (probe < failing) return ProbeResult{1, "not ready\n", nanoseconds(0)};
    return ProbeResult{};
  }};
}

HealthScript HealthScript::healthyAfter(nanoseconds delay) {
  return {[delay](int, nanoseconds since_start) {
    if (since_start < delay) return ProbeResult{1, "not ready\n", nanoseconds(0)};
    return ProbeResult{};
  }};
}

HealthScript HealthScript::unhealthy(std::string output) {
  return {[output = std::move(output)](int, nanoseconds) {
    return ProbeResult{1, output, nanoseconds(0)};
  }};
}

HealthScript HealthScript::cycle(std::vector<bool> pattern) {
  if (pattern.empty()) pattern.push_back(true);
  return {[pattern = std::move(pattern)](int probe, nanoseconds) {
    if (pattern[static_cast<size_t>(probe) % pattern.size()]) return ProbeResult{};
    return ProbeResult{1, "unhealthy\n", nanoseconds(0)};
  }};
}

HealthScript HealthScript::slow(nanoseconds duration, int exit_code) {
  return {[duration, exit_code](int, nanoseconds) { return ProbeResult{exit_code, "", duration}; }};
}

const char* methodName(Method method) {
  // In the order of the Method enumerators.
  static constexpr const char* kNames[] = {
      "ping",
      "version",
      "createContainer",
      "startContainer",
      "stopContainer",
      "killContainer",
      "restartContainer",
      "pauseContainer",
      "unpauseContainer",
      "removeContainer",
      "renameContainer",
      "copyToContainer",
      "inspectContainer",
      "listContainers",
      "waitContainer",
      "logs",
      "attach",
      "top",
      "resizeContainer",
      "createExec",
      "startExec",
      "inspectExec",
      "resizeExec",
      "buildImage",
      "pullImage",
      "pushImage",
      "inspectImage",
      "listImages",
      "tagImage",
      "removeImage",
      "createNetwork",
      "connectNetwork",
      "disconnectNetwork",
      "inspectNetwork",
      "listNetworks",
      "removeNetwork",
      "createVolume",
      "inspectVolume",
      "listVolumes",
      "removeVolume",
      "events",
  };
  static_assert(std::size(kNames) == static_cast<size_t>(Method::Events) + 1);
  const auto index = static_cast<size_t>(method);
  return index < std::size(kNames) ? kNames[index] : "unknown";
}

std::string CallRecord::describe() const {
  std::string out = methodName(method);
  if (!name.empty()) out += " " + name;
  return out;
}

}  // namespace stack::runtime::fake
