#pragma once

// `stack logs`: the output of a project's service containers. With `follow`, it keeps
// following: containers that start later, and containers that restart, are picked up
// from the engine's events (docker compose loses them, docker/compose#8925, #10331).

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <set>
#include <string>

#include "orchestrator/logs/log_sink.hpp"
#include "runtime/engine.hpp"

namespace stack::orchestrator::logs {

struct LogsRequest {
  std::set<std::string> services;  // empty: every service
  bool follow = false;
  std::string tail = "all";  // lines per container
  std::string since;
  std::string until;
  bool timestamps = false;
  std::optional<int> index;  // only this replica
};

// Returns when every stream has ended (without `follow`), or runs until cancelled.
boost::asio::awaitable<void> projectLogs(runtime::Engine& engine, const std::string& project,
                                         const LogsRequest& request, LogSink& sink);

}  // namespace stack::orchestrator::logs
