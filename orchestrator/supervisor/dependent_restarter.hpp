#pragma once

// Supervised restarts of dependents (x-stack-supervise, supervise_policy.hpp). While it
// runs (during an attached `up`, after the plan), it watches the project state that the
// Supervisor keeps current from the engine's events. When a dependency with supervised
// dependents is started again by the engine (a crash under its restart policy) or turns
// unhealthy, it waits until the dependency is running and no longer unhealthy, then for
// the Supervisor's readiness check (health, or stack's own probe), within the policy's
// ready_timeout; then it restarts each dependent that declared `restart: true`, after the
// policy's backoff, at most max_restarts times per dependent. A dependency that is not
// ready in time restarts nothing. Every action is logged (logger "supervisor") and told
// as a progress message ("Supervisor: ..."), so it shows in the attached output.

#include <boost/asio/awaitable.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "orchestrator/compose/model.hpp"
#include "orchestrator/progress/progress.hpp"
#include "orchestrator/supervisor/supervise_policy.hpp"
#include "orchestrator/supervisor/supervisor.hpp"
#include "runtime/engine.hpp"

namespace stack::orchestrator::supervisor {

class DependentRestarter {
 public:
  DependentRestarter(runtime::Engine& engine, const compose::Project& project,
                     Supervisor& supervisor, progress::ProgressSink& progress,
                     std::optional<int> stop_timeout_seconds = std::nullopt);

  // Runs until cancelled; failures of one action are reported, never thrown.
  boost::asio::awaitable<void> run();

  // Supervised restarts made so far, per dependent service.
  const std::map<std::string, int>& restarts() const { return restarts_; }

 private:
  struct Mark {
    int starts = 0;
    bool unhealthy = false;
  };
  Mark markOf(const std::string& service) const;
  boost::asio::awaitable<void> handle(const std::string& dependency, const std::string& cause);
  // Empty when the dependency is ready again, else why not.
  boost::asio::awaitable<std::string> awaitReadyAgain(const std::string& dependency,
                                                      std::chrono::milliseconds timeout);
  boost::asio::awaitable<void> settle(const std::string& dependency);
  boost::asio::awaitable<void> restartDependent(const std::string& dependent,
                                                const std::string& dependency,
                                                const std::string& cause);
  void say(const std::string& message, bool warning = false);

  runtime::Engine& engine_;
  const compose::Project& project_;
  Supervisor& supervisor_;
  progress::ProgressSink& progress_;
  std::optional<int> stop_timeout_;
  std::map<std::string, std::vector<std::string>> dependents_;  // dependency -> supervised
  std::map<std::string, int> restarts_;
};

}  // namespace stack::orchestrator::supervisor
