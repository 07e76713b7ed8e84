// stack::async (stack/asio.hpp): the coroutine operations of project_calls.hpp on the
// caller's executor.

#include "library/engine_call.hpp"
#include "library/project_calls.hpp"
#include "library/project_impl.hpp"
#include "stack/asio.hpp"

namespace stack {
namespace library {

struct ProjectAccess {
  static const Project::Impl& impl(const Project& project) { return *project.impl_; }
};

}  // namespace library

namespace async {
namespace asio = boost::asio;
using library::EngineCall;
using library::ProjectAccess;
using library::withEngine;

asio::awaitable<void> up(Project& project, UpOptions options) {
  auto lock = co_await library::lockProject(project.name());
  const Project::Impl& impl = ProjectAccess::impl(project);
  co_await withEngine("up", [&](EngineCall& call) { return library::upOn(call, impl, options); });
}

asio::awaitable<void> down(Project& project, DownOptions options) {
  auto lock = co_await library::lockProject(project.name());
  const Project::Impl& impl = ProjectAccess::impl(project);
  co_await withEngine("down", [&](EngineCall& call) {
    return library::downOn(call, impl.model.name, &impl.model, options);
  });
}

asio::awaitable<std::vector<ContainerInfo>> ps(const Project& project, bool all) {
  std::vector<ContainerInfo> out;
  co_await withEngine("ps", [&](EngineCall& call) -> asio::awaitable<void> {
    out = co_await library::psOn(call, project.name(), all);
  });
  co_return out;
}

asio::awaitable<ExecResult> exec(Project& project, std::string service,
                                 std::vector<std::string> argv, ExecOptions options) {
  ExecResult result;
  co_await withEngine("exec", [&](EngineCall& call) -> asio::awaitable<void> {
    result = co_await library::execOn(call, project.name(), service, argv, options);
  });
  co_return result;
}

asio::awaitable<std::vector<LogLine>> logs(const Project& project, std::string service,
                                           LogsOptions options) {
  std::vector<LogLine> out;
  co_await withEngine("logs", [&](EngineCall& call) -> asio::awaitable<void> {
    out = co_await library::logsOn(call, project.name(), service, options);
  });
  co_return out;
}

asio::awaitable<Endpoint> endpoint(const Project& project, std::string service,
                                   uint16_t container_port, std::string protocol, int index) {
  const auto containers = co_await ps(project, false);
  co_return library::endpointOf(
      library::bindingsOf(containers, service, container_port, protocol, index));
}

asio::awaitable<void> waitFor(Project& project, std::string service, Wait wait) {
  const Project::Impl& impl = ProjectAccess::impl(project);
  co_await withEngine("wait",
                      [&](EngineCall& call) { return library::waitOn(call, impl, service, wait); });
}

}  // namespace async
}  // namespace stack
