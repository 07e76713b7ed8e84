// The effective restart policy against the FakeEngine: a service whose only restart
// policy is deploy.restart_policy is restarted by the engine, so the supervisor must wait
// for it through its first exit instead of failing its dependents.

#include <doctest/doctest.h>

#include "orchestrator/project_controller.hpp"
#include "tests/fake/fake_test_support.hpp"
#include "tests/orchestrator/project_builder.hpp"

namespace stack::test {
namespace {

using orchestrator::ProjectController;
using runtime::Awaitable;
using runtime::fake::ProcessScript;
using runtime::fake::testing::Fixture;

runtime::fake::FakeEngineOptions realTime() {
  runtime::fake::FakeEngineOptions options;
  options.clock.speed = 1.0;  // the engine's 100 ms restart back-off takes 100 ms
  return options;
}

// db exits with code 1 on its first run and stays up from its second on; web
// waits for db to be healthy.
struct FlakyDb {
  explicit FlakyDb(const std::string& condition) : fixture(realTime()) {
    auto db = service("db", "db:1");
    db.healthcheck = orchestrator::compose::Healthcheck{.test = {"CMD", "true"}};
    orchestrator::compose::DeployConfig deploy;
    deploy.restart_policy = orchestrator::compose::RestartPolicy{.condition = condition};
    db.deploy = deploy;
    project = test::project({service("web"), db});
    dependsOn(project, "web", "db", "service_healthy");
    fixture.image("app:1");
    fixture.image("db:1");
    // The first run exits once the supervisor watches it (a die event, then a restart
    // 100 ms later); it is never ready before: the first probes fail, more of them than
    // fit in the first run at the supervisor's 200 ms cadence.
    ProcessScript crash;
    crash.exit_after = std::chrono::milliseconds(300);
    crash.exit_code = 1;
    fixture.engine.scripts().processRuns("db:1", {crash, ProcessScript{}});
    runtime::fake::ExecScript probe{.cmd = {"true"}, .results = {}};
    for (int i = 0; i < 5; ++i) probe.results.push_back({.exit_code = 1, .output = "not yet\n"});
    probe.results.push_back({.exit_code = 0});
    fixture.engine.scripts().exec("demo-db-1", probe);
  }

  // The message of the error `up` throws; "" when it succeeds.
  std::string up() {
    std::string failure;
    fixture.run([&]() -> Awaitable<void> {
      try {
        const orchestrator::planner::UpOptions options;
        co_await controller.up(project, options);
      } catch (const Error& error) {
        failure = error.what();
      }
    });
    return failure;
  }

  std::string state(const std::string& container) {
    auto details = fixture.engine.state().container(container);
    return details ? details->state.status : "missing";
  }

  orchestrator::compose::Project project;
  Fixture fixture;
  orchestrator::progress::NullProgress progress;
  ProjectController controller{fixture.engine, progress};
};

}  // namespace

TEST_CASE("deploy.restart_policy condition any: a first exit of a dependency is not a failure") {
  FlakyDb demo("any");
  const std::string failure = demo.up();
  CHECK_MESSAGE(failure.empty(), failure);
  CHECK(demo.state("demo-db-1") == "running");
  CHECK(demo.state("demo-web-1") == "running");
  CHECK(demo.fixture.engine.state().container("demo-db-1")->restart_count >= 1);
  CHECK(demo.fixture.engine.state().container("demo-db-1")->host_config.restart_policy.name ==
        "always");
}

TEST_CASE("deploy.restart_policy condition none: the first exit of a dependency fails up") {
  FlakyDb demo("none");
  const std::string failure = demo.up();
  CHECK(failure.find("exited with code 1") != std::string::npos);
  CHECK(demo.state("demo-web-1") == "created");
  CHECK(demo.state("demo-db-1") == "exited");
}

}  // namespace stack::test
