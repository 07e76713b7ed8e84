#pragma once

// Awaitable variants of stack::Project's calls, for programs that run a Boost.Asio event
// loop (C++20 coroutines, Boost 1.81). This is the one public header that includes Boost:
// stack/project.hpp and the fixture do not, so only programs that include this one need
// Boost's headers (find_package(Boost 1.81) beside find_package(stack)).
//
//   boost::asio::co_spawn(io, [&]() -> boost::asio::awaitable<void> {
//     co_await stack::async::up(project);
//     auto result = co_await stack::async::exec(project, "db", {"pg_isready"});
//   }, boost::asio::detached);
//
// Contract:
// - Each call runs on the executor of the coroutine that awaits it, with its own engine
//   connection for DOCKER_HOST; nothing blocks the loop (waits are timers, the project
//   lock of up/down is retried on a timer), so the loop keeps serving other work.
// - Results, errors (stack::Error with the same kinds and messages) and defaults are
//   those of the synchronous member of the same name in stack/project.hpp.
// - Cancellation (a cancelled coroutine, or `||` with a timer) ends the call at its next
//   engine request or timer, with stack::Error kind Cancelled; an up cut short converges
//   when run again, as the CLI's does.
// - The Project must outlive the call, and one Project serves one call at a time.
// - With g++ 12, name class-type arguments before a co_await when in doubt
//   (`Wait w = Wait::log("x"); co_await waitFor(p, "web", w);`): its coroutines mishandle
//   some temporaries of a co_await expression, in stack and in the caller alike.

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "stack/project.hpp"
#include "stack/wait.hpp"

namespace stack::async {

// Overloads instead of default arguments: g++ 12 miscompiles a defaulted class-type
// argument inside a co_await expression (the temporary is used uninitialised).
boost::asio::awaitable<void> up(Project& project, UpOptions options);
boost::asio::awaitable<void> up(Project& project);
boost::asio::awaitable<void> down(Project& project, DownOptions options);
boost::asio::awaitable<void> down(Project& project);
boost::asio::awaitable<std::vector<ContainerInfo>> ps(const Project& project, bool all = false);
boost::asio::awaitable<ExecResult> exec(Project& project, std::string service,
                                        std::vector<std::string> argv, ExecOptions options);
boost::asio::awaitable<ExecResult> exec(Project& project, std::string service,
                                        std::vector<std::string> argv);
boost::asio::awaitable<std::vector<LogLine>> logs(const Project& project, std::string service,
                                                  LogsOptions options);
boost::asio::awaitable<std::vector<LogLine>> logs(const Project& project, std::string service);
boost::asio::awaitable<Endpoint> endpoint(const Project& project, std::string service,
                                          uint16_t container_port, std::string protocol, int index);
boost::asio::awaitable<Endpoint> endpoint(const Project& project, std::string service,
                                          uint16_t container_port);
boost::asio::awaitable<void> waitFor(Project& project, std::string service, Wait wait);

}  // namespace stack::async
