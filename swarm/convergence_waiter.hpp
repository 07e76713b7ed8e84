#pragma once

// `stack deploy --wait`: returns when every service of the stack has its desired tasks
// running (Swarm reports a task running only once its healthcheck passed), or fails at
// once, naming the service and the task's error, when a task of the current spec is
// rejected or fails, cannot be scheduled on any node (no node satisfies its placement
// constraints or platform), or an update pauses or rolls back. Failures of tasks that
// existed before the deploy are history, not news. A task pending for a reason the update
// itself removes (a host-mode port the replaced task still holds, resources not yet
// freed) is waited for; the reason shows in the progress and in a timeout's message.
//
// It polls the services and their up-to-date tasks (two list calls) every `interval`,
// and the whole wait races a timer: past the deadline it fails (kind Timeout) with each
// unconverged service's count and its tasks' states.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "orchestrator/progress/progress.hpp"
#include "runtime/swarm_engine.hpp"
#include "swarm/swarm_names.hpp"

namespace stack::swarm {

struct WaitTarget {
  std::string name;  // engine name, `<stack>_<key>`
  std::string id;
  bool written = false;  // created or updated by this deploy (its update status counts)
};

struct WaitOptions {
  std::chrono::milliseconds timeout = std::chrono::minutes(5);
  std::chrono::milliseconds interval = std::chrono::milliseconds(100);
};

// Where one service stands, from its spec, update status and up-to-date tasks.
struct ServiceProgress {
  bool converged = false;
  std::string status;            // "1/2 running", "complete 3/3"
  std::optional<Error> failure;  // set when waiting longer cannot help
};

ServiceProgress evaluateService(const runtime::SwarmService& service, bool written,
                                const std::vector<runtime::SwarmTask>& tasks,
                                const std::set<std::string>& known_tasks);

// The stack's task ids before the deploy writes anything.
boost::asio::awaitable<std::set<std::string>> snapshotTasks(runtime::SwarmEngine& swarm,
                                                            const std::string& stack);

boost::asio::awaitable<void> waitForConvergence(runtime::SwarmEngine& swarm,
                                                progress::ProgressSink& progress,
                                                const std::string& stack,
                                                const std::vector<WaitTarget>& targets,
                                                const std::set<std::string>& known_tasks,
                                                const WaitOptions& options);

}  // namespace stack::swarm
