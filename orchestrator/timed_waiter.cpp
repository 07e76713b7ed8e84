#include "orchestrator/timed_waiter.hpp"

#include "core/error.hpp"

namespace stack::orchestrator {

boost::asio::awaitable<void> TimedWaiter::await(const std::string& service,
                                                const std::string& condition) {
  if (recorder_) recorder_->gateWaiting(service, condition);
  co_await supervisor_.await(service, condition);
  if (recorder_) recorder_->gateReady(service, condition, readyBy(service, condition));
}

std::string TimedWaiter::readyBy(const std::string& service, const std::string& condition) {
  if (condition == "service_started") return "started";
  if (condition == "service_completed_successfully") return "exited 0";
  bool probed = false;
  for (const auto* container : supervisor_.state().serviceContainers(service)) {
    probed |= container->probed_ready;
  }
  if (!probed) return "healthcheck (engine)";
  auto it = project_.services.find(service);
  if (it == project_.services.end()) return "probe";
  try {
    const auto spec = supervisor::readinessSpec(it->second, {});
    if (spec.host_probe) {
      std::string probe = std::string(spec.host_probe->http ? "http" : "tcp") +
                          " probe :" + std::to_string(spec.host_probe->container_port);
      if (spec.host_probe->http) probe += spec.host_probe->path;
      return probe;
    }
  } catch (const Error&) {
    // The spec was read before the wait; a malformed one never gets here.
  }
  return "healthcheck (run by stack)";
}

}  // namespace stack::orchestrator
