// The lifecycle operations and views of ProjectController against the FakeEngine: what
// the engine's model looks like afterwards, and in which order things happened.

#include <doctest/doctest.h>

#include <algorithm>
#include <boost/asio/experimental/awaitable_operators.hpp>

#include "orchestrator/project_controller.hpp"
#include "tests/fake/fake_test_support.hpp"
#include "tests/orchestrator/project_builder.hpp"

namespace stack::test {
namespace {

using namespace boost::asio::experimental::awaitable_operators;
using orchestrator::ProjectController;
using runtime::Awaitable;
using runtime::fake::testing::errorKindOf;
using runtime::fake::testing::Fixture;

// web depends on db, and restarts with it.
struct Demo {
  Demo() : project(test::project({service("web"), service("db")})) {
    dependsOn(project, "web", "db", "service_started", true);
    fixture.image("app:1");
  }

  // Runs `body` on the loop. The loop stops whenever it runs out of work, so each run
  // restarts it first: a test runs several bodies in turn.
  void run(std::function<Awaitable<void>()> body) {
    fixture.io.restart();
    fixture.run(std::move(body));
  }

  // Creates and starts the project.
  void up() {
    run([&]() -> Awaitable<void> {
      const orchestrator::planner::UpOptions options;
      co_await controller.up(project, options);
    });
  }

  std::string state(const std::string& container) {
    auto details = fixture.engine.state().container(container);
    return details ? details->state.status : "missing";
  }

  // Position of "container <action> <name>" in the engine's event history; -1 if absent.
  long eventAt(const std::string& action, const std::string& name) {
    const auto events = fixture.engine.state().eventSummary();
    auto it = std::find(events.begin(), events.end(), "container " + action + " " + name);
    return it == events.end() ? -1 : it - events.begin();
  }

  orchestrator::compose::Project project;
  Fixture fixture;
  orchestrator::progress::NullProgress progress;
  ProjectController controller{fixture.engine, progress};
};

}  // namespace

TEST_CASE("kill signals dependents first and start brings them back dependencies first") {
  Demo demo;
  demo.up();
  demo.run([&]() -> Awaitable<void> {
    const orchestrator::planner::KillOptions kill;
    auto plan = co_await demo.controller.kill("demo", nullptr, kill);  // from labels
    CHECK(plan.steps().size() == 2);
  });
  CHECK(demo.state("demo-web-1") == "exited");
  CHECK(demo.state("demo-db-1") == "exited");
  CHECK(demo.fixture.engine.state().container("demo-db-1")->state.exit_code == 137);
  CHECK(demo.eventAt("kill", "demo-web-1") < demo.eventAt("kill", "demo-db-1"));

  demo.run([&]() -> Awaitable<void> {
    const orchestrator::planner::KillOptions kill;
    auto plan = co_await demo.controller.kill("demo", &demo.project, kill);
    CHECK(plan.empty());  // nothing left running
    const orchestrator::planner::StartOptions start;
    co_await demo.controller.start("demo", nullptr, start);
  });
  CHECK(demo.state("demo-web-1") == "running");
  CHECK(demo.state("demo-db-1") == "running");
  const auto events = demo.fixture.engine.state().eventSummary();
  const auto last_start = [&](const std::string& name) {
    return std::find(events.rbegin(), events.rend(), "container start " + name) - events.rbegin();
  };
  CHECK(last_start("demo-db-1") > last_start("demo-web-1"));  // db started first
}

TEST_CASE("pause and unpause change only the containers in the other state") {
  Demo demo;
  demo.up();
  demo.run([&]() -> Awaitable<void> {
    const std::set<std::string> db{"db"};
    co_await demo.controller.pause("demo", &demo.project, db);
    CHECK(demo.state("demo-db-1") == "paused");
    CHECK(demo.state("demo-web-1") == "running");
    const std::set<std::string> all;
    auto again = co_await demo.controller.pause("demo", nullptr, all);
    CHECK(again.steps().size() == 1);  // only web was left to pause
    co_await demo.controller.unpause("demo", nullptr, all);
  });
  CHECK(demo.state("demo-db-1") == "running");
  CHECK(demo.state("demo-web-1") == "running");
}

TEST_CASE("restart of a dependency restarts its restart: true dependents after it") {
  Demo demo;
  demo.up();
  demo.run([&]() -> Awaitable<void> {
    orchestrator::planner::RestartOptions options;
    options.services = {"db"};
    co_await demo.controller.restart("demo", &demo.project, options);
  });
  CHECK(demo.eventAt("restart", "demo-db-1") >= 0);
  CHECK(demo.eventAt("restart", "demo-db-1") < demo.eventAt("kill", "demo-web-1"));
  CHECK(demo.state("demo-web-1") == "running");

  const auto before = demo.fixture.engine.state().eventSummary().size();
  demo.run([&]() -> Awaitable<void> {
    orchestrator::planner::RestartOptions options;
    options.services = {"db"};
    options.no_deps = true;
    auto plan = co_await demo.controller.restart("demo", nullptr, options);
    CHECK(plan.steps().size() == 1);
  });
  const auto events = demo.fixture.engine.state().eventSummary();
  CHECK(std::find(events.begin() + static_cast<long>(before), events.end(),
                  "container restart demo-web-1") == events.end());
}

TEST_CASE("remove asks with the names and removes nothing when declined") {
  Demo demo;
  demo.up();
  std::vector<std::string> asked;
  bool answer = false;
  const ProjectController::RemovalConfirmation confirm =
      [&](const std::vector<std::string>& names) -> Awaitable<bool> {
    asked = names;
    co_return answer;
  };
  demo.run([&]() -> Awaitable<void> {
    orchestrator::planner::RemoveContainersOptions options;
    auto none = co_await demo.controller.remove("demo", nullptr, options, confirm);
    CHECK(none.empty());  // everything runs: nothing to remove, nobody asked
    CHECK(asked.empty());
    options.stop = true;
    auto declined = co_await demo.controller.remove("demo", nullptr, options, confirm);
    CHECK(declined.empty());
    CHECK(asked == std::vector<std::string>{"demo-db-1", "demo-web-1"});
  });
  CHECK(demo.state("demo-web-1") == "running");  // declined: not even stopped
  answer = true;
  demo.run([&]() -> Awaitable<void> {
    orchestrator::planner::RemoveContainersOptions options;
    options.stop = true;
    options.services = {"web"};
    co_await demo.controller.remove("demo", &demo.project, options, confirm);
  });
  CHECK(demo.state("demo-web-1") == "missing");
  CHECK(demo.state("demo-db-1") == "running");
}

TEST_CASE("start --wait returns once a service with a healthcheck is healthy") {
  Demo demo;
  orchestrator::compose::Healthcheck check;
  check.test = {"CMD", "true"};
  check.interval = std::chrono::seconds(1);
  demo.project.services.at("db").healthcheck = check;
  demo.fixture.engine.scripts().process(
      "demo-db-1", {.health = runtime::fake::HealthScript::healthyAfterProbes(3)});
  demo.run([&]() -> Awaitable<void> {
    orchestrator::planner::UpOptions create;
    create.no_start = true;
    co_await demo.controller.up(demo.project, create);
    orchestrator::planner::StartOptions options;
    options.wait = true;
    options.wait_timeout = std::chrono::seconds(60);
    co_await demo.controller.start("demo", &demo.project, options);
  });
  const auto db = demo.fixture.engine.state().container("demo-db-1");
  REQUIRE(db);
  CHECK(db->state.running);
  CHECK(demo.state("demo-web-1") == "running");
}

TEST_CASE("start --wait fails at once naming a service the engine reports unhealthy") {
  Demo demo;
  orchestrator::compose::Healthcheck check;
  check.test = {"CMD", "check"};
  check.interval = std::chrono::seconds(1);
  demo.project.services.at("web").healthcheck = check;
  demo.fixture.engine.scripts().process(
      "demo-web-1", {.health = runtime::fake::HealthScript::unhealthy("not yet\n")});
  demo.fixture.engine.scripts().exec("demo-web-1", {.results = {{.exit_code = 1}}});
  demo.run([&]() -> Awaitable<void> {
    orchestrator::planner::UpOptions create;
    create.no_start = true;
    co_await demo.controller.up(demo.project, create);
    orchestrator::planner::StartOptions options;
    options.wait = true;
    options.wait_timeout = std::chrono::seconds(60);
    try {
      co_await demo.controller.start("demo", &demo.project, options);
      FAIL("start --wait succeeded although web never became healthy");
    } catch (const Error& error) {
      CHECK(error.kind() == ErrorKind::Dependency);  // not the 60 s deadline
      CHECK(std::string(error.what()).find("\"web\"") != std::string::npos);
      CHECK(std::string(error.what()).find("is unhealthy") != std::string::npos);
    }
  });
  CHECK(demo.state("demo-web-1") == "running");  // started, just not healthy
}

TEST_CASE("start --wait fails at its deadline naming a service still starting") {
  Demo demo;
  orchestrator::compose::Healthcheck check;
  check.test = {"CMD", "check"};
  check.interval = std::chrono::hours(1);  // the engine never gets to judge it
  demo.project.services.at("web").healthcheck = check;
  demo.fixture.engine.scripts().process(
      "demo-web-1", {.health = runtime::fake::HealthScript::unhealthy("not yet\n")});
  demo.fixture.engine.scripts().exec("demo-web-1", {.results = {{.exit_code = 1}}});
  demo.run([&]() -> Awaitable<void> {
    orchestrator::planner::UpOptions create;
    create.no_start = true;
    co_await demo.controller.up(demo.project, create);
    orchestrator::planner::StartOptions options;
    options.wait = true;
    options.wait_timeout = std::chrono::milliseconds(500);
    try {
      co_await demo.controller.start("demo", &demo.project, options);
      FAIL("start --wait succeeded although web never became healthy");
    } catch (const Error& error) {
      CHECK(error.kind() == ErrorKind::Timeout);
      CHECK(std::string(error.what()).find("\"web\"") != std::string::npos);
    }
  });
  CHECK(demo.state("demo-web-1") == "running");  // started, just not healthy
}

TEST_CASE("views list projects and show processes and ports and images of a project") {
  Demo demo;
  demo.project.services.at("web").ports.push_back({.target = 80});
  demo.up();
  demo.run([&]() -> Awaitable<void> {
    auto projects = co_await demo.controller.listProjects(false);
    REQUIRE(projects.size() == 1);
    CHECK(projects[0].name == "demo");
    CHECK(projects[0].status == "running(2)");
    CHECK(projects[0].config_files == "/src/demo/compose.yaml");

    const std::set<std::string> web{"web"};
    auto top = co_await demo.controller.top("demo", web);
    REQUIRE(top.size() == 1);
    CHECK(top[0].service == "web");
    CHECK(top[0].replica == "1");
    CHECK_FALSE(top[0].top.processes.empty());

    auto port = co_await demo.controller.port("demo", "web", 80, "tcp", 0);
    CHECK(port.public_port != 0);
    CHECK(KIND_OF(demo.controller.port("demo", "web", 81, "tcp", 0)) == ErrorKind::NotFound);
    CHECK(KIND_OF(demo.controller.port("demo", "web", 80, "tcp", 2)) == ErrorKind::NotFound);

    const std::set<std::string> all;
    auto images = co_await demo.controller.images("demo", all);
    REQUIRE(images.size() == 2);
    CHECK(images[0].container == "demo-db-1");
    CHECK(images[0].repository == "app");
    CHECK(images[0].tag == "1");
    CHECK(images[0].platform == "linux/amd64");
    CHECK(images[0].size > 0);
  });
}

TEST_CASE("events follow the project's containers without compose labels") {
  Demo demo;
  demo.up();
  std::vector<orchestrator::ProjectEvent> seen;
  demo.run([&]() -> Awaitable<void> {
    orchestrator::EventsOptions options;
    options.services = {"web"};
    const orchestrator::ProjectEventSink sink = [&](const auto& event) { seen.push_back(event); };
    auto act = [&]() -> Awaitable<void> {
      boost::asio::steady_timer settle(co_await boost::asio::this_coro::executor,
                                       std::chrono::milliseconds(20));
      co_await settle.async_wait(boost::asio::use_awaitable);
      const orchestrator::planner::KillOptions kill;
      co_await demo.controller.kill("demo", nullptr, kill);
      settle.expires_after(std::chrono::milliseconds(20));
      co_await settle.async_wait(boost::asio::use_awaitable);
    };
    co_await (demo.controller.events("demo", options, sink) || act());
  });
  REQUIRE_FALSE(seen.empty());
  const auto kill =
      std::find_if(seen.begin(), seen.end(), [](const auto& e) { return e.action == "kill"; });
  REQUIRE(kill != seen.end());
  CHECK(kill->service == "web");
  CHECK(kill->attributes.at("name") == "demo-web-1");
  CHECK(kill->attributes.count("com.docker.compose.project") == 0);
  CHECK(kill->time_nano > 0);
  for (const auto& event : seen) CHECK(event.service == "web");
}

}  // namespace stack::test
