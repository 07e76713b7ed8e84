// ProjectController::run, ::exec and ::wait against the FakeEngine: what runs first,
// what the local end sees, exit codes, interrupts and clean-up.

#include <doctest/doctest.h>

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>

#include "orchestrator/project_controller.hpp"
#include "tests/fake/fake_test_support.hpp"
#include "tests/orchestrator/memory_io.hpp"
#include "tests/orchestrator/project_builder.hpp"

namespace stack::test {
namespace {

using orchestrator::ProjectController;
using runtime::Awaitable;
using runtime::fake::Method;
using runtime::fake::ProcessScript;
using runtime::fake::testing::errorKindOf;
using runtime::fake::testing::Fixture;
using namespace std::chrono_literals;

struct Demo {
  Demo() {
    fixture.image("app:1");
    options.probe_cadence = 10ms;
  }

  void run(std::function<Awaitable<void>()> body) {
    fixture.io.restart();
    fixture.run(std::move(body));
  }

  bool exists(const std::string& container) {
    return fixture.engine.state().container(container).has_value();
  }
  std::string state(const std::string& container) {
    auto details = fixture.engine.state().container(container);
    return details ? details->state.status : "missing";
  }
  long eventAt(const std::string& event) {
    const auto events = fixture.engine.state().eventSummary();
    auto it = std::find(events.begin(), events.end(), event);
    return it == events.end() ? -1 : it - events.begin();
  }

  Fixture fixture;
  orchestrator::progress::NullProgress progress;
  orchestrator::ControllerOptions options;
  ProjectController controller{fixture.engine, progress, options};
  MemoryIo io;
};

ProcessScript exitsWith(int code, std::chrono::nanoseconds after, std::string output = {}) {
  ProcessScript script;
  script.exit_after = after;
  script.exit_code = code;
  if (!output.empty()) script.output = {{0ns, runtime::OutputKind::Stdout, output}};
  return script;
}

orchestrator::oneoff::RunRequest jobRequest() {
  orchestrator::oneoff::RunRequest request;
  request.service = "web";
  request.name = "job";  // so the FakeEngine's scripts can name the one-off container
  request.interactive = false;
  return request;
}

}  // namespace

TEST_CASE("run starts the dependencies, waits for their conditions, and returns the exit code") {
  Demo demo;
  orchestrator::compose::Project p =
      project({service("web"), service("db"), service("migrate"), service("other")});
  dependsOn(p, "web", "db");
  dependsOn(p, "web", "migrate", "service_completed_successfully");
  demo.fixture.engine.scripts().process("demo-migrate-1", exitsWith(0, 2s));
  demo.fixture.engine.scripts().process("job", exitsWith(3, 50ms, "hello\n"));
  orchestrator::oneoff::RunResult result;
  demo.run([&]() -> Awaitable<void> {
    const auto request = jobRequest();
    result = co_await demo.controller.run(p, request, demo.io);
  });
  CHECK(result.exit_code == 3);
  CHECK(result.container_name == "job");
  CHECK(demo.io.out == "hello\n");
  CHECK(demo.io.begins == 1);
  CHECK(demo.io.ends == 1);
  CHECK(demo.state("demo-db-1") == "running");
  CHECK(demo.state("job") == "exited");  // no --rm
  CHECK_FALSE(demo.exists("demo-web-1"));
  CHECK_FALSE(demo.exists("demo-other-1"));
  CHECK(demo.eventAt("container die demo-migrate-1") >= 0);
  CHECK(demo.eventAt("container die demo-migrate-1") < demo.eventAt("container start job"));
  CHECK(demo.eventAt("container attach job") < demo.eventAt("container start job"));
  const auto labels = demo.fixture.engine.state().container("job")->config.labels;
  CHECK(labels.at("com.docker.compose.oneoff") == "True");
  CHECK(labels.at("com.docker.compose.slug").size() == 64);
}

TEST_CASE("run --no-deps --rm creates only the network it needs and removes the container") {
  Demo demo;
  orchestrator::compose::Project p = project({service("web"), service("db")});
  dependsOn(p, "web", "db");
  demo.fixture.engine.scripts().process("job", exitsWith(0, 10ms));
  demo.run([&]() -> Awaitable<void> {
    auto request = jobRequest();
    request.no_deps = true;
    request.remove = true;
    const auto result = co_await demo.controller.run(p, request, demo.io);
    CHECK(result.exit_code == 0);
  });
  CHECK_FALSE(demo.exists("job"));
  CHECK_FALSE(demo.exists("demo-db-1"));
  CHECK(demo.fixture.engine.state().network("demo_default").has_value());
  CHECK(demo.eventAt("container destroy job") > demo.eventAt("container die job"));
}

TEST_CASE("run forwards stdin and its end to an interactive container") {
  Demo demo;
  orchestrator::compose::Project p = project({service("web")});
  ProcessScript cat;
  cat.echo_stdin = true;
  cat.exit_on_stdin_eof = true;
  demo.fixture.engine.scripts().process("job", cat);
  demo.io.input = {"one\n", "two\n"};
  demo.run([&]() -> Awaitable<void> {
    auto request = jobRequest();
    request.interactive = true;
    request.remove = true;
    const auto result = co_await demo.controller.run(p, request, demo.io);
    CHECK(result.exit_code == 0);
  });
  CHECK(demo.io.out == "one\ntwo\n");
  CHECK_FALSE(demo.exists("job"));
}

TEST_CASE("an interrupt stops the one-off container, returns 130, and --rm still removes it") {
  Demo demo;
  orchestrator::compose::Project p = project({service("web")});
  ProcessScript forever;  // runs until a signal ends it
  forever.output = {{0ns, runtime::OutputKind::Stdout, "started\n"}};
  demo.fixture.engine.scripts().process("job", forever);
  bool fired = false;
  demo.run([&]() -> Awaitable<void> {
    auto request = jobRequest();
    request.remove = true;
    request.tty = true;
    demo.io.size = orchestrator::oneoff::TerminalSize{40, 120};
    // The user presses Ctrl-C once the container runs.
    request.interrupted = [&]() -> Awaitable<void> {
      while (fired || demo.state("job") != "running") co_await sleepFor(5ms);
      fired = true;
    };
    const auto result = co_await demo.controller.run(p, request, demo.io);
    CHECK(result.exit_code == 130);
  });
  CHECK(fired);
  CHECK(demo.io.began_tty);
  CHECK(demo.io.ends == 1);
  CHECK(demo.eventAt("container stop job") >= 0);
  CHECK_FALSE(demo.exists("job"));
  CHECK(demo.fixture.engine.calls().count(Method::ResizeContainer, "job") >= 1);
}

TEST_CASE("run fails clearly for an unknown service and removes a container that cannot start") {
  Demo demo;
  orchestrator::compose::Project p = project({service("web")});
  ProcessScript broken;
  broken.start_error = "exec: \"nope\": executable file not found in $PATH";
  demo.fixture.engine.scripts().process("job", broken);
  demo.run([&]() -> Awaitable<void> {
    auto request = jobRequest();
    request.service = "nope";
    CHECK(KIND_OF(demo.controller.run(p, request, demo.io)) == ErrorKind::Usage);
    request.service = "web";
    request.remove = true;
    CHECK(KIND_OF(demo.controller.run(p, request, demo.io)) == ErrorKind::Engine);
  });
  CHECK_FALSE(demo.exists("job"));
}

TEST_CASE("exec runs in the lowest numbered running replica, or --index, with its exit code") {
  Demo demo;
  orchestrator::compose::Project p = project({service("web"), service("db")});
  p.services.at("web").scale = 2;
  runtime::fake::ExecScript fails;
  fails.cmd = {"check"};
  fails.results = {{7, "checked\n"}};
  demo.fixture.engine.scripts().exec("", fails);
  demo.run([&]() -> Awaitable<void> {
    const orchestrator::planner::UpOptions up;
    co_await demo.controller.up(p, up);
    orchestrator::oneoff::ExecRequest request;
    request.service = "web";
    request.command = {"check"};
    request.interactive = false;
    CHECK(co_await demo.controller.exec("demo", request, demo.io) == 7);
    request.index = 2;
    CHECK(co_await demo.controller.exec("demo", request, demo.io) == 7);
  });
  CHECK(demo.io.out == "checked\nchecked\n");
  CHECK(demo.fixture.engine.calls().count(Method::CreateExec, "demo-web-1") == 1);
  CHECK(demo.fixture.engine.calls().count(Method::CreateExec, "demo-web-2") == 1);
}

TEST_CASE("exec names the service that is not running") {
  Demo demo;
  demo.run([&]() -> Awaitable<void> {
    orchestrator::oneoff::ExecRequest request;
    request.service = "web";
    request.command = {"true"};
    std::string message;
    try {
      co_await demo.controller.exec("demo", request, demo.io);
    } catch (const Error& error) {
      message = error.message();
      CHECK(error.kind() == ErrorKind::NotFound);
    }
    CHECK(message == "service \"web\" is not running");
  });
}

TEST_CASE("wait returns the first exit code, after every container or at the first one") {
  Demo demo;
  orchestrator::compose::Project p = project({service("fast"), service("slow")});
  demo.fixture.engine.scripts().process("demo-fast-1", exitsWith(4, 20s));
  demo.fixture.engine.scripts().process("demo-slow-1", exitsWith(0, 200s));
  std::vector<std::string> exits;
  orchestrator::oneoff::WaitRequest request;
  request.services = {"fast", "slow"};
  request.exited = [&](const runtime::ContainerSummary& c, int code) {
    exits.push_back(c.name + " " + std::to_string(code));
  };
  demo.run([&]() -> Awaitable<void> {
    const orchestrator::planner::UpOptions up;
    co_await demo.controller.up(p, up);
    CHECK(co_await demo.controller.wait("demo", request) == 4);
  });
  CHECK(exits == std::vector<std::string>{"demo-fast-1 4", "demo-slow-1 0"});

  exits.clear();
  request.first_only = true;
  demo.run([&]() -> Awaitable<void> {
    const orchestrator::planner::UpOptions up;
    co_await demo.controller.up(p, up);  // starts both again
    CHECK(co_await demo.controller.wait("demo", request) == 4);
  });
  CHECK(exits == std::vector<std::string>{"demo-fast-1 4"});
  CHECK(demo.state("demo-slow-1") == "running");
}

}  // namespace stack::test
