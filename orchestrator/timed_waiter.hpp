#pragma once

// A DependencyWaiter that tells an UpRecorder when each dependency gate began waiting and
// when it opened, and which check said the dependency was ready (the engine's
// healthcheck, stack's own exec of it, or an x-stack-readiness host probe). Without a
// recorder it only passes the waits on to the supervisor.

#include <string>

#include "orchestrator/compose/model.hpp"
#include "orchestrator/executor/plan_executor.hpp"
#include "orchestrator/supervisor/supervisor.hpp"
#include "orchestrator/timings/up_recorder.hpp"

namespace stack::orchestrator {

class TimedWaiter final : public executor::DependencyWaiter {
 public:
  TimedWaiter(supervisor::Supervisor& supervisor, const compose::Project& project,
              timings::UpRecorder* recorder)
      : supervisor_(supervisor), project_(project), recorder_(recorder) {}

  boost::asio::awaitable<void> await(const std::string& service,
                                     const std::string& condition) override;

 private:
  std::string readyBy(const std::string& service, const std::string& condition);

  supervisor::Supervisor& supervisor_;
  const compose::Project& project_;
  timings::UpRecorder* recorder_;
};

}  // namespace stack::orchestrator
