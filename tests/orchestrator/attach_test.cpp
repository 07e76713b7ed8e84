// attachContainer (`stack attach`) against the FakeEngine: the container's output and
// exit code, stdin forwarding, and a service that is not running.

#include <doctest/doctest.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>

#include "orchestrator/container_attach.hpp"
#include "orchestrator/project_controller.hpp"
#include "tests/fake/fake_test_support.hpp"
#include "tests/orchestrator/memory_io.hpp"
#include "tests/orchestrator/project_builder.hpp"

namespace stack::test {
namespace {

using runtime::Awaitable;
using runtime::fake::ProcessScript;
using runtime::fake::testing::errorKindOf;
using runtime::fake::testing::Fixture;
using namespace std::chrono_literals;

struct Demo {
  explicit Demo(ProcessScript script) {
    runtime::ContainerConfig config;
    fixture.image("app:1", config);
    fixture.engine.scripts().process("app:1", script);
    project = stack::test::project({service("web")});
    project.services.at("web").stdin_open = true;
  }
  void run(std::function<Awaitable<void>()> body) {
    fixture.io.restart();
    fixture.run(std::move(body));
  }
  void up() {
    run([&]() -> Awaitable<void> {
      const orchestrator::planner::UpOptions options;
      co_await controller.up(project, options);
    });
  }
  orchestrator::compose::Project project;
  Fixture fixture;
  orchestrator::progress::NullProgress progress;
  orchestrator::ProjectController controller{fixture.engine, progress};
};

TEST_CASE("attach forwards stdin to the container and returns when its output ends") {
  ProcessScript script;
  script.echo_stdin = true;
  script.exit_on_stdin_eof = true;
  Demo demo(script);
  demo.up();
  MemoryIo io;
  io.input = {"hello\n"};
  int code = -1;
  demo.run([&]() -> Awaitable<void> {
    orchestrator::ContainerAttachRequest request;
    request.service = "web";
    code = co_await orchestrator::attachContainer(demo.fixture.engine, "demo", request, io);
  });
  CHECK(io.out.find("hello") != std::string::npos);
  CHECK(io.begins == 1);
  CHECK(io.ends == 1);
  CHECK(code >= 0);
}

TEST_CASE("attach returns the exit code of a container that stops while attached") {
  ProcessScript script;
  script.exit_after = 2s;
  script.exit_code = 3;
  Demo demo(script);
  demo.up();
  MemoryIo io;
  io.keep_open = true;
  int code = -1;
  demo.run([&]() -> Awaitable<void> {
    orchestrator::ContainerAttachRequest request;
    request.service = "web";
    request.no_stdin = true;
    code = co_await orchestrator::attachContainer(demo.fixture.engine, "demo", request, io);
  });
  CHECK(code == 3);
}

TEST_CASE("attach fails for a service without a running container") {
  ProcessScript script;
  Demo demo(script);
  MemoryIo io;
  demo.run([&]() -> Awaitable<void> {
    orchestrator::ContainerAttachRequest request;
    request.service = "web";
    CHECK(KIND_OF(orchestrator::attachContainer(demo.fixture.engine, "demo", request, io)) ==
          ErrorKind::NotFound);
  });
}

}  // namespace
}  // namespace stack::test
