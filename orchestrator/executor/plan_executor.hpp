#pragma once

// Runs a Plan against an Engine: every step starts as soon as all the steps it comes after
// have finished, with at most `parallel_limit` engine calls in flight. When a step fails,
// no new step starts, the steps in flight finish, and the first error is thrown with the
// count of the others. Cancelling the awaiting coroutine cancels the steps in flight.
//
// Steps tolerate what an earlier, killed run may still have in flight in the engine when
// this one observed: a stop or rename of a container that is already gone or renamed, and
// a create whose name is held by a never-started container of the same replica (removed,
// then created again). Containers use the ids of the networks this run created.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstddef>
#include <functional>
#include <map>
#include <string>

#include "orchestrator/planner/plan.hpp"
#include "orchestrator/progress/progress.hpp"
#include "runtime/engine.hpp"

namespace stack::orchestrator::executor {

// Decides AwaitDependency gates: `service` reaching `condition` (service_started,
// service_healthy, service_completed_successfully). Implemented by the supervisor.
class DependencyWaiter {
 public:
  virtual ~DependencyWaiter() = default;
  // Returns once the condition holds. Throws stack::Error (kind Dependency or Timeout)
  // naming the service when it cannot hold: exited non-zero, never healthy by the deadline.
  virtual boost::asio::awaitable<void> await(const std::string& service,
                                             const std::string& condition) = 0;
};

struct ExecutorOptions {
  size_t parallel_limit = 64;  // --parallel / COMPOSE_PARALLEL_LIMIT; 0 means unlimited
  // Awaited just before each container start: attached `up` attaches to the output there,
  // so none of it is lost.
  std::function<boost::asio::awaitable<void>(const planner::Step&)> before_start;
};

class PlanExecutor {
 public:
  PlanExecutor(runtime::Engine& engine, DependencyWaiter& waiter, progress::ProgressSink& progress,
               ExecutorOptions options = {});

  boost::asio::awaitable<void> run(const planner::Plan& plan);

 private:
  boost::asio::awaitable<void> runGuarded(const planner::Step& step,
                                          boost::asio::steady_timer& stop_all);
  boost::asio::awaitable<void> runStep(const planner::Step& step);
  boost::asio::awaitable<void> createNetwork(const planner::Step& step);
  boost::asio::awaitable<void> createContainer(const planner::Step& step);
  enum class Holder { NotYetVisible, AbandonedReplica, Other };
  boost::asio::awaitable<Holder> nameHolder(const runtime::ContainerCreateRequest& request);
  boost::asio::awaitable<void> connectNetwork(const planner::Step& step);
  boost::asio::awaitable<void> startContainer(const planner::Step& step);
  boost::asio::awaitable<void> stopContainer(const planner::Step& step);
  boost::asio::awaitable<void> renameContainer(const planner::Step& step);
  boost::asio::awaitable<bool> removeTolerant(const planner::Step& step);
  boost::asio::awaitable<void> killTolerant(const planner::Step& step);
  // Sets the endpoint's network id when this run created the network and it has none.
  void pin(const std::string& network, runtime::EndpointSettings& endpoint) const;
  void report(const planner::Step& step, bool done, const std::string& detail = {});

  runtime::Engine& engine_;
  DependencyWaiter& waiter_;
  progress::ProgressSink& progress_;
  ExecutorOptions options_;
  std::map<std::string, std::string> network_ids_;  // networks this run created: name -> id
};

}  // namespace stack::orchestrator::executor
