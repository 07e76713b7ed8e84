// The Docker engine client against dockerd: negotiation, the container lifecycle, exec,
// and many calls in flight at once.

#include <doctest/doctest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/error.hpp"
#include "tests/support/engine_fixture.hpp"
#include "tests/support/test_project.hpp"

namespace stack::test {
namespace asio = boost::asio;
using namespace boost::asio::experimental::awaitable_operators;

namespace {

template <class F>
ErrorKind kindOf(EngineFixture& fixture, F&& call) {
  try {
    fixture.run(call());
  } catch (const Error& error) {
    return error.kind();
  }
  return ErrorKind::Internal;  // no error at all
}

}  // namespace

TEST_CASE("ping negotiates API 1.41 and version answers") {
  EngineFixture f;
  auto info = f.run(f.engine().ping());
  CHECK(info.api_version == "1.41");
  CHECK_FALSE(info.server_version.empty());
  auto version = f.run(f.engine().version());
  CHECK(version.contains("ApiVersion"));
}

TEST_CASE("container lifecycle: create, start, inspect, list, pause, rename, stop, remove") {
  EngineFixture f;
  auto& engine = f.engine();
  auto request = f.container("life", {"sleep", "600"});
  request.config.env = {"GREETING=hello"};
  request.config.stop_signal = "SIGKILL";
  request.host_config.port_bindings["80/tcp"] = {{"127.0.0.1", ""}};
  request.config.exposed_ports = {"80/tcp"};
  const std::string id = f.run(engine.createContainer(request));
  REQUIRE(id.size() == 64);
  CHECK(kindOf(f, [&] { return engine.createContainer(request); }) == ErrorKind::Conflict);

  f.run(engine.startContainer(id));
  f.run(engine.startContainer(id));  // already running: not an error
  auto details = f.run(engine.inspectContainer(request.name));
  CHECK(details.state.running);
  CHECK(details.name == request.name);
  CHECK(std::find(details.config.env.begin(), details.config.env.end(), "GREETING=hello") !=
        details.config.env.end());
  REQUIRE(details.ports.count("80/tcp"));
  CHECK_FALSE(details.ports.at("80/tcp").at(0).host_port.empty());  // ephemeral port given

  runtime::ListFilter filter;
  filter.labels = {"dev.stack.test=" + f.id()};
  auto listed = f.run(engine.listContainers(filter));
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].id == id);
  CHECK(listed[0].state == "running");
  CHECK(listed[0].ports.size() >= 1);

  auto top = f.run(engine.top(id, ""));
  CHECK_FALSE(top.processes.empty());
  f.run(engine.pauseContainer(id));
  CHECK(f.run(engine.inspectContainer(id)).state.paused);
  f.run(engine.unpauseContainer(id));
  f.run(engine.renameContainer(id, f.name("renamed")));
  CHECK(f.run(engine.inspectContainer(id)).name == f.name("renamed"));
  f.run(engine.restartContainer(id, 0));
  f.run(engine.stopContainer(id, 0));
  f.run(engine.stopContainer(id, 0));  // already stopped: not an error
  CHECK(kindOf(f, [&] { return engine.killContainer(id, "SIGKILL"); }) == ErrorKind::Conflict);
  f.run(engine.removeContainer(id, {.force = false, .volumes = true}));
  CHECK(kindOf(f, [&] { return engine.inspectContainer(id); }) == ErrorKind::NotFound);
}

TEST_CASE("wait returns the exit code, and create reports a missing image as NotFound") {
  EngineFixture f;
  auto& engine = f.engine();
  const std::string id = f.run(engine.createContainer(f.container("exit", {"sh", "-c", "exit 7"})));
  auto result = f.run([&]() -> asio::awaitable<runtime::WaitResult> {
    co_await engine.startContainer(id);
    co_return co_await engine.waitContainer(id, runtime::WaitCondition::NotRunning);
  }());
  CHECK(result.status_code == 7);
  auto missing = f.container("missing", {"true"});
  missing.config.image = "stack-test/does-not-exist:never";
  CHECK(kindOf(f, [&] { return engine.createContainer(missing); }) == ErrorKind::NotFound);
}

TEST_CASE("exec runs a command, streams its output, forwards stdin and reports the exit code") {
  EngineFixture f;
  auto& engine = f.engine();
  const std::string id = f.run(engine.createContainer(f.container("exec", {"sleep", "600"})));
  f.run(engine.startContainer(id));
  auto [output, code] = f.run([&]() -> asio::awaitable<std::pair<std::string, int>> {
    runtime::ExecSpec spec;
    spec.cmd = {"sh", "-c", "cat; echo err >&2; exit 3"};
    spec.attach_stdin = true;
    const std::string exec_id = co_await engine.createExec(id, spec);
    const runtime::ExecStartOptions options{.stdin = true};
    auto stream = co_await engine.startExec(exec_id, options);
    co_await stream->write("from stdin\n");
    co_await stream->closeWrite();
    std::string out, err;  // the engine copies the two pipes independently
    while (auto chunk = co_await stream->next()) {
      (chunk->kind == runtime::OutputKind::Stderr ? err : out) += chunk->data;
    }
    const std::string text = "O:" + out + "E:" + err;
    auto details = co_await engine.inspectExec(exec_id);
    co_return std::pair(text, details.exit_code.value_or(-1));
  }());
  CHECK(output == "O:from stdin\nE:err\n");
  CHECK(code == 3);
}

TEST_CASE("exec in a stopped container is a Conflict") {
  EngineFixture f;
  auto& engine = f.engine();
  const std::string id = f.run(engine.createContainer(f.container("stopped", {"true"})));
  CHECK(kindOf(f, [&] { return engine.createExec(id, {.cmd = {"true"}}); }) == ErrorKind::Conflict);
}

TEST_CASE("many calls in flight at once on one loop") {
  EngineFixture f;
  auto& engine = f.engine();
  const std::string id = f.run(engine.createContainer(f.container("busy", {"sleep", "600"})));
  const int count = f.run([&]() -> asio::awaitable<int> {
    // 40 inspects issued together, raced against a 30 s timer: they all finish first.
    auto executor = co_await asio::this_coro::executor;
    int done = 0;
    asio::steady_timer all_done(executor, asio::steady_timer::time_point::max());
    for (int i = 0; i < 40; ++i) {
      asio::co_spawn(executor, engine.inspectContainer(id),
                     [&](std::exception_ptr e, runtime::ContainerDetails) {
                       if (!e && ++done == 40) all_done.cancel();
                     });
    }
    asio::steady_timer deadline(executor, std::chrono::seconds(30));
    co_await (all_done.async_wait(asio::as_tuple(asio::use_awaitable)) ||
              deadline.async_wait(asio::use_awaitable));
    co_return done;
  }());
  CHECK(count == 40);
}

}  // namespace stack::test
