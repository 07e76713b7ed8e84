// Waiting for a stack to converge (see convergence_waiter.hpp).

#include "swarm/convergence_waiter.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>

#include "core/async.hpp"
#include "swarm/stack_spec.hpp"

namespace stack::swarm {
namespace {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
template <class T>
using Awaitable = asio::awaitable<T>;

std::string taskName(const runtime::SwarmService& service, const runtime::SwarmTask& task) {
  if (task.slot > 0) return service.name + "." + std::to_string(task.slot);
  return service.name + "." + task.node_id;
}

bool failedState(const std::string& state) {
  return state == "failed" || state == "rejected";
}

Error taskFailure(const runtime::SwarmService& service, const runtime::SwarmTask& task) {
  std::string what = task.error.empty() ? task.message : task.error;
  if (task.exit_code && *task.exit_code != 0)
    what += " (exit code " + std::to_string(*task.exit_code) + ")";
  Error error(ErrorKind::Engine, "service \"" + service.name + "\": task " +
                                     taskName(service, task) + " " + task.state + ": " + what);
  if (task.error.find("No such image") != std::string::npos) {
    error.setHint(
        "the node cannot find the image: build or pull it there, or push it to a "
        "registry the nodes can reach (stack deploy --push)");
  } else {
    error.setHint("see `docker service ps --no-trunc " + service.name +
                  "` and `docker service logs " + service.name + "`");
  }
  return error;
}

// A scheduler's "no suitable node" that waiting cannot fix: no node satisfies the
// constraints or runs the platform. Others (a host-mode port still held by the task being
// replaced, resources not yet freed) pass as a rolling update proceeds.
bool unschedulable(const std::string& error) {
  return error.find("scheduling constraints not satisfied") != std::string::npos ||
         error.find("unsupported platform") != std::string::npos;
}

// What the service's mode asks for: running tasks, or completions for a job.
struct Desired {
  bool job = false;
  std::optional<uint64_t> count;  // nullopt: one per eligible node (global modes)
};

Desired desiredOf(const runtime::SwarmService& service) {
  const Json& mode = service.spec.contains("Mode") ? service.spec["Mode"] : Json::object();
  if (mode.contains("Replicated")) {
    return {false, mode["Replicated"].value("Replicas", uint64_t{1})};
  }
  if (mode.contains("ReplicatedJob")) {
    return {true, mode["ReplicatedJob"].value("TotalCompletions", uint64_t{1})};
  }
  return {mode.contains("GlobalJob"), std::nullopt};
}

std::optional<Error> updateFailure(const runtime::SwarmService& service) {
  const std::string& state = service.update_state;
  if (state == "paused" || state == "rollback_paused") {
    return Error(ErrorKind::Engine,
                 "service \"" + service.name + "\": update paused: " + service.update_message);
  }
  if (state == "rollback_started" || state == "rollback_completed") {
    return Error(ErrorKind::Engine,
                 "service \"" + service.name +
                     "\": the update failed and is rolled back: " + service.update_message);
  }
  return std::nullopt;
}

}  // namespace

ServiceProgress evaluateService(const runtime::SwarmService& service, bool written,
                                const std::vector<runtime::SwarmTask>& tasks,
                                const std::set<std::string>& known_tasks) {
  ServiceProgress out;
  if (written) out.failure = updateFailure(service);
  uint64_t running = 0, complete = 0, active = 0;
  std::string pending_reason;
  for (const runtime::SwarmTask& task : tasks) {
    if (task.service_id != service.id) continue;
    if (failedState(task.state) && !known_tasks.count(task.id) && !out.failure) {
      out.failure = taskFailure(service, task);
    }
    if (task.state == "pending" && unschedulable(task.error) && !out.failure) {
      out.failure = Error(ErrorKind::Engine,
                          "service \"" + service.name + "\": task " + taskName(service, task) +
                              " cannot be scheduled: " + task.error,
                          "check deploy.placement and deploy.resources.reservations against "
                          "the nodes (docker node ls, docker node inspect)");
    }
    if (task.state == "pending" && !task.error.empty()) pending_reason = task.error;
    if (task.desired_state == "running") ++active;
    if (task.desired_state == "running" && task.state == "running") ++running;
    if (task.state == "complete") ++complete;
  }
  const Desired desired = desiredOf(service);
  const bool updating = service.update_state == "updating";
  if (desired.job) {
    const uint64_t total = desired.count.value_or(std::max<uint64_t>(complete + active, 1));
    out.converged = complete >= total;
    out.status = "complete " + std::to_string(complete) + "/" + std::to_string(total);
  } else {
    const uint64_t total = desired.count.value_or(active);
    out.converged = !updating && running >= total && (desired.count || total > 0);
    out.status = std::to_string(running) + "/" + std::to_string(total) + " running";
  }
  if (!out.converged && !pending_reason.empty()) out.status += " (pending: " + pending_reason + ")";
  return out;
}

Awaitable<std::set<std::string>> snapshotTasks(runtime::SwarmEngine& swarm,
                                               const std::string& stack) {
  runtime::TaskFilter filter;
  filter.labels = {namespaceFilter(stack)};
  std::vector<runtime::SwarmTask> tasks = co_await swarm.listTasks(filter);
  std::set<std::string> out;
  for (const auto& task : tasks) out.insert(task.id);
  co_return out;
}

namespace {

struct WaitState {
  std::map<std::string, std::string> status;  // by service name
  std::set<std::string> converged;
};

Awaitable<void> pollLoop(runtime::SwarmEngine& swarm, progress::ProgressSink& progress,
                         const std::string& stack, const std::vector<WaitTarget>& targets,
                         const std::set<std::string>& known_tasks, const WaitOptions& options,
                         WaitState& state) {
  runtime::ListFilter services_filter;
  services_filter.labels = {namespaceFilter(stack)};
  runtime::TaskFilter tasks_filter;
  tasks_filter.labels = services_filter.labels;
  tasks_filter.up_to_date = true;
  asio::steady_timer pause(co_await asio::this_coro::executor);
  while (true) {
    std::vector<runtime::SwarmService> services =
        co_await swarm.listServices(services_filter, false);
    std::vector<runtime::SwarmTask> tasks = co_await swarm.listTasks(tasks_filter);
    bool all = true;
    for (const WaitTarget& target : targets) {
      auto it = std::find_if(services.begin(), services.end(),
                             [&](const auto& s) { return s.id == target.id; });
      if (it == services.end()) {
        throw Error(ErrorKind::Engine, "service \"" + target.name + "\" disappeared while waiting");
      }
      ServiceProgress p = evaluateService(*it, target.written, tasks, known_tasks);
      if (p.failure) {
        progress.emit({"Service", target.name, "Failed", progress::ProgressState::Error,
                       p.failure->message()});
        throw *p.failure;
      }
      if (state.status[target.name] != p.status ||
          (p.converged && !state.converged.count(target.name))) {
        progress.emit(
            {"Service", target.name, p.converged ? "Converged" : "Waiting",
             p.converged ? progress::ProgressState::Done : progress::ProgressState::Working,
             p.status});
      }
      state.status[target.name] = p.status;
      if (p.converged) state.converged.insert(target.name);
      all = all && p.converged;
    }
    if (all) co_return;
    pause.expires_after(options.interval);
    co_await pause.async_wait(asio::use_awaitable);
  }
}

}  // namespace

Awaitable<void> waitForConvergence(runtime::SwarmEngine& swarm, progress::ProgressSink& progress,
                                   const std::string& stack, const std::vector<WaitTarget>& targets,
                                   const std::set<std::string>& known_tasks,
                                   const WaitOptions& options) {
  WaitState state;
  asio::steady_timer deadline(co_await asio::this_coro::executor, options.timeout);
  auto outcome =
      co_await (capture(pollLoop(swarm, progress, stack, targets, known_tasks, options, state)) ||
                deadline.async_wait(asio::as_tuple(asio::use_awaitable)));
  if (outcome.index() == 0) co_return unwrap(std::get<0>(std::move(outcome)));
  std::string pending;
  for (const WaitTarget& target : targets) {
    if (state.converged.count(target.name)) continue;
    if (!pending.empty()) pending += ", ";
    pending += target.name + " (" +
               (state.status.count(target.name) ? state.status[target.name] : "no answer") + ")";
  }
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(options.timeout).count();
  throw Error(ErrorKind::Timeout,
              "the stack did not converge within " + std::to_string(seconds) + " s: " + pending,
              "see `docker service ps --no-trunc <service>`, or wait longer with --wait-timeout");
}

}  // namespace stack::swarm
