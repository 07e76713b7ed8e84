#pragma once

// The fallback readiness gate: polls the engine (one list call, plus an inspect per
// container for health) until a dependency meets its depends_on condition. The event-
// driven supervisor is preferred where the events stream works; this one needs nothing
// but list and inspect, so it also works against engines without events.
//
// Conditions:
//   service_started                 every container of the service has been started
//   service_healthy                 every container reports healthy; unhealthy reports
//                                   do not end the wait before the deadline
//   service_completed_successfully  every container exited with code 0

#include <chrono>
#include <string>

#include "orchestrator/executor/plan_executor.hpp"
#include "runtime/engine.hpp"

namespace stack::orchestrator {

struct PollingOptions {
  std::chrono::milliseconds interval{100};
  std::chrono::milliseconds deadline{std::chrono::minutes(5)};
};

class PollingWaiter final : public DependencyWaiter {
 public:
  PollingWaiter(runtime::Engine& engine, std::string project, PollingOptions options = {});

  boost::asio::awaitable<void> await(const std::string& service,
                                     const std::string& condition) override;

 private:
  // True when the condition holds now; throws when it can no longer hold.
  boost::asio::awaitable<bool> holds(const std::string& service, const std::string& condition,
                                     std::string& last_state);

  runtime::Engine& engine_;
  std::string project_;
  PollingOptions options_;
};

}  // namespace stack::orchestrator
