#pragma once

// `stack swarm ls|ps|services|rm`: the stack views and removal docker stack offers, over
// the same labels, so they show and remove what either tool deployed.
//
// Removal follows docker stack rm: services, then secrets and configs, then networks,
// all found by the namespace label. Volumes are never removed (they hold data), and
// nothing external is touched: stack never labels what it does not create. Networks are
// removed once the services' tasks are gone (bounded wait), since a network still in use
// by a task cannot be removed.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "orchestrator/progress/progress.hpp"
#include "runtime/engine.hpp"
#include "runtime/swarm_engine.hpp"
#include "swarm/swarm_names.hpp"

namespace stack::swarm {

struct StackSummary {
  std::string name;
  size_t services = 0;
};

struct StackService {
  std::string id;
  std::string name;
  std::string mode;      // replicated|global|replicated-job|global-job
  std::string replicas;  // "1/2", as docker stack services prints it
  std::string image;     // as written in the file (com.docker.stack.image), else the spec's
  std::string ports;     // "*:8080->80/tcp"
};

struct StackTask {
  std::string id;
  std::string name;  // <stack>_<service>.<slot>
  std::string image;
  std::string node;  // hostname
  std::string desired_state;
  std::string current_state;
  std::string timestamp;  // RFC 3339, of the current state
  std::string error;
  std::string ports;  // host-mode publishes
};

boost::asio::awaitable<std::vector<StackSummary>> listStacks(runtime::SwarmEngine& swarm);
boost::asio::awaitable<std::vector<StackService>> stackServices(runtime::SwarmEngine& swarm,
                                                                const std::string& stack);
boost::asio::awaitable<std::vector<StackTask>> stackTasks(runtime::SwarmEngine& swarm,
                                                          const std::string& stack);

struct RemoveOptions {
  std::chrono::milliseconds tasks_timeout = std::chrono::seconds(60);
};

// Returns false when the stack had nothing to remove. Throws stack::Error (kind Engine)
// after trying everything when some object could not be removed, naming them.
boost::asio::awaitable<bool> removeStack(runtime::Engine& engine, runtime::SwarmEngine& swarm,
                                         progress::ProgressSink& progress, const std::string& stack,
                                         const RemoveOptions& options);

}  // namespace stack::swarm
