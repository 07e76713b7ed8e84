// stack::async (stack/asio.hpp): the coroutine operations of project_calls.hpp on the
// caller's executor.

#include <memory>

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
using library::EngineBody;
using library::EngineCall;
using library::ProjectAccess;
using library::withEngine;

namespace {

// Each call is a plain function that moves its arguments into the captures of one engine
// body, which withEngine() runs. No coroutine here takes a class type by value or awaits
// a temporary: g++ 12 miscompiles both (a by-value ExecOptions parameter of a coroutine
// was destroyed as garbage).

// The body's result, once withEngine() has run it.
template <class T>
asio::awaitable<T> resultOf(const char* what, EngineBody body, std::shared_ptr<T> result) {
  co_await withEngine(what, std::move(body));
  co_return std::move(*result);
}

}  // namespace

asio::awaitable<void> up(Project& project, UpOptions options) {
  const Project::Impl& impl = ProjectAccess::impl(project);
  EngineBody body = [&impl,
                     options = std::move(options)](EngineCall& call) -> asio::awaitable<void> {
    auto lock = co_await library::lockProject(impl.model.name);
    co_await library::upOn(call, impl, options);
  };
  return withEngine("up", std::move(body));
}

asio::awaitable<void> down(Project& project, DownOptions options) {
  const Project::Impl& impl = ProjectAccess::impl(project);
  EngineBody body = [&impl,
                     options = std::move(options)](EngineCall& call) -> asio::awaitable<void> {
    auto lock = co_await library::lockProject(impl.model.name);
    co_await library::downOn(call, impl.model.name, &impl.model, options);
  };
  return withEngine("down", std::move(body));
}

asio::awaitable<std::vector<ContainerInfo>> ps(const Project& project, bool all) {
  auto result = std::make_shared<std::vector<ContainerInfo>>();
  EngineBody body = [&project, all, result](EngineCall& call) -> asio::awaitable<void> {
    *result = co_await library::psOn(call, project.name(), all);
  };
  return resultOf("ps", std::move(body), result);
}

asio::awaitable<ExecResult> exec(Project& project, std::string service,
                                 std::vector<std::string> argv, ExecOptions options) {
  auto result = std::make_shared<ExecResult>();
  EngineBody body = [&project, service = std::move(service), argv = std::move(argv),
                     options = std::move(options),
                     result](EngineCall& call) -> asio::awaitable<void> {
    *result = co_await library::execOn(call, project.name(), service, argv, options);
  };
  return resultOf("exec", std::move(body), result);
}

asio::awaitable<std::vector<LogLine>> logs(const Project& project, std::string service,
                                           LogsOptions options) {
  auto result = std::make_shared<std::vector<LogLine>>();
  EngineBody body = [&project, service = std::move(service), options = std::move(options),
                     result](EngineCall& call) -> asio::awaitable<void> {
    *result = co_await library::logsOn(call, project.name(), service, options);
  };
  return resultOf("logs", std::move(body), result);
}

asio::awaitable<Endpoint> endpoint(const Project& project, std::string service,
                                   uint16_t container_port, std::string protocol, int index) {
  auto result = std::make_shared<Endpoint>();
  EngineBody body = [&project, service = std::move(service), container_port,
                     protocol = std::move(protocol), index,
                     result](EngineCall& call) -> asio::awaitable<void> {
    const std::vector<ContainerInfo> containers =
        co_await library::psOn(call, project.name(), false);
    *result = library::endpointOf(
        library::bindingsOf(containers, service, container_port, protocol, index));
  };
  return resultOf("endpoint", std::move(body), result);
}

asio::awaitable<void> waitFor(Project& project, std::string service, Wait wait) {
  const Project::Impl& impl = ProjectAccess::impl(project);
  EngineBody body = [&impl, service = std::move(service),
                     wait = std::move(wait)](EngineCall& call) -> asio::awaitable<void> {
    co_await library::waitOn(call, impl, service, wait);
  };
  return withEngine("wait", std::move(body));
}

asio::awaitable<void> up(Project& project) {
  return up(project, UpOptions{});
}

asio::awaitable<void> down(Project& project) {
  return down(project, DownOptions{});
}

asio::awaitable<ExecResult> exec(Project& project, std::string service,
                                 std::vector<std::string> argv) {
  return exec(project, std::move(service), std::move(argv), ExecOptions{});
}

asio::awaitable<std::vector<LogLine>> logs(const Project& project, std::string service) {
  return logs(project, std::move(service), LogsOptions{});
}

asio::awaitable<Endpoint> endpoint(const Project& project, std::string service,
                                   uint16_t container_port) {
  return endpoint(project, std::move(service), container_port, "tcp", 0);
}

}  // namespace async
}  // namespace stack
