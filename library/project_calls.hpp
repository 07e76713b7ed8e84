#pragma once

// The operations of stack::Project as coroutines on one EngineCall. The synchronous
// members (project.cpp) run them on a private loop, the awaitable API (async_api.cpp) on
// the caller's executor: one implementation of each.

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string>
#include <vector>

#include "library/engine_call.hpp"
#include "library/project_impl.hpp"
#include "orchestrator/project_lock.hpp"
#include "stack/project.hpp"

namespace stack::library {

boost::asio::awaitable<void> upOn(EngineCall& call, const Project::Impl& project,
                                  const UpOptions& options);
boost::asio::awaitable<void> downOn(EngineCall& call, const std::string& project,
                                    const orchestrator::compose::Project* model,
                                    const DownOptions& options);
boost::asio::awaitable<std::vector<ContainerInfo>> psOn(EngineCall& call,
                                                        const std::string& project, bool all);
boost::asio::awaitable<ExecResult> execOn(EngineCall& call, const std::string& project,
                                          const std::string& service,
                                          const std::vector<std::string>& argv,
                                          const ExecOptions& options);
boost::asio::awaitable<std::vector<LogLine>> logsOn(EngineCall& call, const std::string& project,
                                                    const std::string& service,
                                                    const LogsOptions& options);
boost::asio::awaitable<void> waitOn(EngineCall& call, const Project::Impl& project,
                                    const std::string& service, const Wait& wait);

// The host bindings of a container port of the service's container among `containers`
// (`index` 0: the lowest numbered). Throws NotFound naming the service and the port.
std::vector<PortBinding> bindingsOf(const std::vector<ContainerInfo>& containers,
                                    const std::string& service, uint16_t container_port,
                                    const std::string& protocol, int index);
// Where to reach one of `bindings` from this host (see Project::endpoint).
Endpoint endpointOf(const std::vector<PortBinding>& bindings);

// The project lock without blocking the event loop: retried on a timer until it is held
// (or the coroutine is cancelled).
boost::asio::awaitable<std::unique_ptr<orchestrator::ProjectLock>> lockProject(
    const std::string& project);

}  // namespace stack::library
