#pragma once

// The foreground part of `stack up` (no -d): it attaches to each attached service's
// container just before the container starts, so no output is lost, then follows the
// project through the supervisor's state until every attached container has exited for
// good, or an abort flag fires.
//
// It also reports what happens to containers: exits with their code, restarts (output
// is followed again from the restart on), and crash loops (three restarts within a
// minute).

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "core/task_group.hpp"
#include "orchestrator/compose/model.hpp"
#include "orchestrator/logs/log_sink.hpp"
#include "orchestrator/planner/plan.hpp"
#include "orchestrator/supervisor/supervisor.hpp"
#include "runtime/engine.hpp"

namespace stack::orchestrator::logs {

struct AttachRequest {
  std::set<std::string> attach;     // --attach: only these services; empty: all
  std::set<std::string> no_attach;  // --no-attach
  bool abort_on_exit = false;       // --abort-on-container-exit
  bool abort_on_failure = false;    // --abort-on-container-failure
  std::string exit_code_from;       // --exit-code-from (implies abort_on_exit)
  // Completes when the user interrupts (Ctrl-C). The first interrupt stops the project
  // gracefully, output still flowing; a second one kills what is left. Unset: never.
  std::function<boost::asio::awaitable<void>()> interrupted;
};

struct AttachedResult {
  int exit_code = 0;
  bool aborted = false;  // an abort flag fired: the caller stops the project
  std::string reason;    // which container ended it, for the message
};

class AttachedSession {
 public:
  AttachedSession(runtime::Engine& engine, const compose::Project& project,
                  supervisor::Supervisor& supervisor, const AttachRequest& request, LogSink& sink,
                  TaskGroup& pumps);

  bool wants(const std::string& service) const;
  // The executor's before_start hook.
  boost::asio::awaitable<void> beforeStart(const planner::Step& step);
  // Attaches to the attached services' containers that were already running.
  boost::asio::awaitable<void> attachRunning();
  // Follows until every attached container has exited for good, or an abort.
  boost::asio::awaitable<AttachedResult> follow();

 private:
  struct Followed {
    LogSource source;
    bool streaming = false;
    int starts_seen = 0;
    bool exit_reported = false;
    bool crash_loop_reported = false;
    std::deque<std::chrono::steady_clock::time_point> restarts;
  };

  LogSource sourceOf(const std::string& container, const std::string& service) const;
  void stream(const std::string& container, std::unique_ptr<runtime::OutputStream> output);
  boost::asio::awaitable<void> attachTo(std::string container, std::string service);
  boost::asio::awaitable<void> refollow(std::string id, std::string container, std::string service,
                                        std::string since);
  // Applies what the state says about one container; returns a result when it ends the
  // session.
  std::optional<AttachedResult> observe(const supervisor::ContainerStatus& status);
  bool willRestart(const supervisor::ContainerStatus& status) const;

  runtime::Engine& engine_;
  const compose::Project& project_;
  supervisor::Supervisor& supervisor_;
  AttachRequest request_;
  LogSink& sink_;
  TaskGroup& pumps_;
  std::map<std::string, Followed> followed_;  // by container name
};

}  // namespace stack::orchestrator::logs
