#include "runtime/fake/fake_scripts.hpp"

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
  switch (method) {
    case Method::Ping:
      return "ping";
    case Method::Version:
      return "version";
    case Method::CreateContainer:
      return "createContainer";
    case Method::StartContainer:
      return "startContainer";
    case Method::StopContainer:
      return "stopContainer";
    case Method::KillContainer:
      return "killContainer";
    case Method::RestartContainer:
      return "restartContainer";
    case Method::PauseContainer:
      return "pauseContainer";
    case Method::UnpauseContainer:
      return "unpauseContainer";
    case Method::RemoveContainer:
      return "removeContainer";
    case Method::RenameContainer:
      return "renameContainer";
    case Method::InspectContainer:
      return "inspectContainer";
    case Method::ListContainers:
      return "listContainers";
    case Method::WaitContainer:
      return "waitContainer";
    case Method::Logs:
      return "logs";
    case Method::Attach:
      return "attach";
    case Method::Top:
      return "top";
    case Method::CreateExec:
      return "createExec";
    case Method::StartExec:
      return "startExec";
    case Method::InspectExec:
      return "inspectExec";
    case Method::BuildImage:
      return "buildImage";
    case Method::PullImage:
      return "pullImage";
    case Method::PushImage:
      return "pushImage";
    case Method::InspectImage:
      return "inspectImage";
    case Method::ListImages:
      return "listImages";
    case Method::TagImage:
      return "tagImage";
    case Method::RemoveImage:
      return "removeImage";
    case Method::CreateNetwork:
      return "createNetwork";
    case Method::ConnectNetwork:
      return "connectNetwork";
    case Method::DisconnectNetwork:
      return "disconnectNetwork";
    case Method::InspectNetwork:
      return "inspectNetwork";
    case Method::ListNetworks:
      return "listNetworks";
    case Method::RemoveNetwork:
      return "removeNetwork";
    case Method::CreateVolume:
      return "createVolume";
    case Method::InspectVolume:
      return "inspectVolume";
    case Method::ListVolumes:
      return "listVolumes";
    case Method::RemoveVolume:
      return "removeVolume";
    case Method::Events:
      return "events";
  }
  return "unknown";
}

std::string CallRecord::describe() const {
  std::string out = methodName(method);
  if (!name.empty()) out += " " + name;
  return out;
}

}  // namespace stack::runtime::fake
