#include "orchestrator/container_attach.hpp"

#include "orchestrator/container_target.hpp"
#include "orchestrator/oneoff/interactive_session.hpp"

namespace stack::orchestrator {

namespace {
constexpr int kInterruptedExitCode = 130;  // as docker compose after Ctrl-C
}  // namespace

boost::asio::awaitable<int> attachContainer(runtime::Engine& engine,
                                            const std::string& project_name,
                                            const ContainerAttachRequest& request,
                                            oneoff::ProcessIo& io) {
  const runtime::ContainerSummary target =
      co_await runningContainer(engine, project_name, request.service, request.index);
  const runtime::ContainerDetails details = co_await engine.inspectContainer(target.id);
  runtime::AttachOptions options;
  options.tty = details.config.tty;
  options.stdin = details.config.open_stdin && !request.no_stdin;
  auto stream = co_await engine.attach(target.id, options);
  oneoff::SessionOptions session;
  session.tty = options.tty;
  session.input = options.stdin;
  session.resize = [&](oneoff::TerminalSize size) -> boost::asio::awaitable<void> {
    co_await engine.resizeContainer(target.id, size.rows, size.columns);
  };
  session.interrupted = request.interrupted;
  if (request.sig_proxy && !options.tty) {
    // --sig-proxy: the interrupt goes to the container; its output keeps flowing.
    session.on_interrupt = [&]() -> boost::asio::awaitable<void> {
      co_await engine.killContainer(target.id, "SIGINT");
    };
  }
  const oneoff::SessionEnd end = co_await oneoff::runInteractiveSession(*stream, io, session);
  stream->cancel();
  const runtime::ContainerDetails after = co_await engine.inspectContainer(target.id);
  if (after.state.running) co_return end.interrupted ? kInterruptedExitCode : 0;
  co_return after.state.exit_code;
}

}  // namespace stack::orchestrator
