#pragma once

// The readiness supervisor of one `up` (or `start --wait`). It gates dependents on
// depends_on conditions and implements `--wait`, from a ProjectState kept current by the
// engine's events, and from its own probes (readiness_spec.hpp) while someone waits. So a
// dependent starts within a probe period (200 ms by default) of its dependency being
// ready, instead of the engine's healthcheck interval.
//
// It costs nothing until the first wait that needs it: serve() idles until then, and only
// then subscribes to events and takes a snapshot of the project.
//
// Waiting rules:
//   service_started                 the containers have been started
//   service_healthy                 each container is healthy (engine report, or a probe of
//                                   stack's succeeded since it started); the engine's
//                                   `unhealthy` (its retries exhausted) fails the wait
//   service_completed_successfully  each container exited with code 0
//   service_running (for --wait)    each container is running
// An exit fails every condition but the last, unless the engine is restarting the
// container (state "restarting"): a restart policy is given its restarts only while the
// engine keeps making them. A failure or a passed deadline throws a Dependency or Timeout
// error that names the service and gives its last health output and last log lines.
//
// With a progress sink, a wait that lasts longer than `explain_after` says why, as the
// detail of the service's "Waiting" event ("db-1: starting, 3 failed probes: <output>"),
// updated when the reason changes; `up --wait` reports each service's Waiting and its
// outcome.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "orchestrator/compose/model.hpp"
#include "orchestrator/executor/plan_executor.hpp"
#include "orchestrator/progress/progress.hpp"
#include "orchestrator/supervisor/event_monitor.hpp"
#include "orchestrator/supervisor/project_state.hpp"
#include "orchestrator/supervisor/readiness_spec.hpp"
#include "runtime/engine.hpp"

namespace stack::orchestrator::supervisor {

struct SupervisorOptions {
  ReadinessDefaults readiness;
  EventMonitorOptions monitor;
  progress::ProgressSink* progress = nullptr;  // none: waits say nothing until they end
  std::chrono::milliseconds explain_after{3000};
};

class Supervisor final : public executor::DependencyWaiter {
 public:
  Supervisor(runtime::Engine& engine, const compose::Project& project,
             const boost::asio::any_io_executor& executor, SupervisorOptions options = {});

  // Keeps the project state current once a wait has asked for it. Runs until cancelled:
  // race it against the work that waits (`co_await (capture(work) || supervisor.serve())`).
  boost::asio::awaitable<void> serve();

  boost::asio::awaitable<void> await(const std::string& service,
                                     const std::string& condition) override;

  // `up --wait`: each of `services` is running, or healthy when it has a healthcheck or a
  // host probe; services that others depend on with service_completed_successfully must
  // have completed. `timeout` overrides the per-service deadlines.
  boost::asio::awaitable<void> awaitProject(const std::set<std::string>& services,
                                            std::optional<std::chrono::milliseconds> timeout);

  // Starts keeping the project state current (if not yet) and returns once it is.
  boost::asio::awaitable<void> watch() { return ensureMonitoring(); }
  ProjectState& state() { return state_; }

 private:
  enum class Verdict { Ready, Waiting, Failed };
  struct Check {
    Verdict verdict = Verdict::Waiting;
    std::string detail;  // why it waits or failed
  };

  Check check(const std::string& service, const std::string& condition) const;
  boost::asio::awaitable<void> awaitUntil(const std::string& service, const std::string& condition,
                                          std::chrono::milliseconds deadline);
  boost::asio::awaitable<void> waitLoop(const std::string& service, const std::string& condition,
                                        std::string& last_detail);
  boost::asio::awaitable<void> probeLoop(const std::string& service);
  // Never returns: after explain_after, emits the waiting reason whenever it changes.
  boost::asio::awaitable<void> explainLoop(const std::string& service,
                                           const std::string& condition);
  std::string waitingReason(const std::string& service, const std::string& condition) const;
  void report(const std::string& service, const std::string& status, progress::ProgressState state,
              const std::string& detail = {}) const;
  boost::asio::awaitable<void> probeOnce(const ContainerStatus& container,
                                         const ReadinessSpec& spec);
  boost::asio::awaitable<std::string> diagnostics(const std::string& service);
  boost::asio::awaitable<void> ensureMonitoring();
  const ReadinessSpec& specOf(const std::string& service);
  std::string conditionFor(const std::string& service) const;

  runtime::Engine& engine_;
  const compose::Project& project_;
  SupervisorOptions options_;
  ProjectState state_;
  EventMonitor monitor_;
  Signal monitor_wanted_;
  bool monitoring_ = false;
  std::map<std::string, ReadinessSpec> specs_;
  std::map<std::string, uint16_t> host_ports_;  // container id -> published probe port
};

}  // namespace stack::orchestrator::supervisor
