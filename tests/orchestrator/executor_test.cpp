// The plan executor against the FakeEngine: what it tolerates of an earlier `up` that was
// killed while its calls were still in flight, and what it must not.

#include "orchestrator/compose/labels.hpp"
#include "orchestrator/executor/plan_executor.hpp"
#include "tests/fake/fake_test_support.hpp"

namespace stack::test {
namespace {

using orchestrator::planner::Plan;
using orchestrator::planner::Step;
using orchestrator::planner::StepAction;
using runtime::fake::testing::Fixture;

class NoWaiting final : public orchestrator::executor::DependencyWaiter {
 public:
  runtime::Awaitable<void> await(const std::string&, const std::string&) override { co_return; }
};

runtime::ContainerCreateRequest replica(const std::string& project, int number = 1) {
  runtime::ContainerCreateRequest request;
  request.name = "demo-web-1";
  request.config.image = "app:1";
  request.config.labels = {
      {std::string(orchestrator::compose::labels::kProject), project},
      {std::string(orchestrator::compose::labels::kService), "web"},
      {std::string(orchestrator::compose::labels::kContainerNumber), std::to_string(number)},
      {std::string(orchestrator::compose::labels::kOneoff), "False"}};
  return request;
}

Step createStep(const runtime::ContainerCreateRequest& request) {
  Step step{.action = StepAction::CreateContainer, .service = "web", .target = request.name};
  step.container = orchestrator::planner::ContainerSpec{request, {}};
  return step;
}

// Fixture::run for a fixture that may have run before: the loop stops when it runs out of
// work and must be restarted.
void run(Fixture& f, std::function<runtime::Awaitable<void>()> body) {
  f.io.restart();
  f.run(std::move(body));
}

// Runs the plan; returns the error it failed with, if any.
std::optional<Error> execute(Fixture& f, const Plan& plan) {
  NoWaiting waiter;
  orchestrator::progress::NullProgress progress;
  orchestrator::executor::PlanExecutor executor(f.engine, waiter, progress);
  std::optional<Error> failure;
  run(f, [&]() -> runtime::Awaitable<void> {
    try {
      co_await executor.run(plan);
    } catch (const Error& error) {
      failure = error;
    }
  });
  return failure;
}

}  // namespace

TEST_CASE("a create takes the name from a never-started leftover of the same replica") {
  Fixture f;
  f.image("app:1");
  std::string leftover;
  run(f, [&]() -> runtime::Awaitable<void> {
    leftover = co_await f.engine.createContainer(replica("demo"));
  });
  Plan plan;
  plan.add(createStep(replica("demo")));
  const auto failure = execute(f, plan);
  CHECK_FALSE(failure);
  const auto now = f.engine.state().container("demo-web-1");
  REQUIRE(now);
  CHECK(now->id != leftover);
  CHECK(f.engine.state().containers().size() == 1);
}

TEST_CASE("a create never takes the name from another project or from a started container") {
  Fixture f;
  f.image("app:1");
  SUBCASE("another project") {
    run(f,
        [&]() -> runtime::Awaitable<void> { co_await f.engine.createContainer(replica("other")); });
  }
  SUBCASE("the same replica, started") {
    run(f, [&]() -> runtime::Awaitable<void> {
      const std::string id = co_await f.engine.createContainer(replica("demo"));
      co_await f.engine.startContainer(id);
    });
  }
  const std::string before = f.engine.state().container("demo-web-1")->id;
  Plan plan;
  plan.add(createStep(replica("demo")));
  const auto failure = execute(f, plan);
  REQUIRE(failure);
  CHECK(failure->kind() == ErrorKind::Conflict);
  CHECK(std::string(failure->what()).find("service \"web\"") != std::string::npos);
  CHECK(f.engine.state().container("demo-web-1")->id == before);
}

TEST_CASE("stopping a vanished container and renaming one already renamed succeed") {
  Fixture f;
  f.image("app:1");
  run(f, [&]() -> runtime::Awaitable<void> { co_await f.engine.createContainer(replica("demo")); });
  Plan plan;
  plan.add({.action = StepAction::StopContainer, .target = "gone"});
  plan.add(
      {.action = StepAction::RenameContainer, .target = "abc_demo-web-1", .subject = "demo-web-1"});
  CHECK_FALSE(execute(f, plan));

  Plan missing;
  missing.add(
      {.action = StepAction::RenameContainer, .target = "abc_demo-db-1", .subject = "demo-db-1"});
  const auto failure = execute(f, missing);
  REQUIRE(failure);
  CHECK(failure->kind() == ErrorKind::NotFound);
}

TEST_CASE("containers are pinned to the id of the network the run created") {
  Fixture f;
  f.image("app:1");
  Plan plan;
  Step network{.action = StepAction::CreateNetwork, .target = "demo_default"};
  network.network = runtime::NetworkCreateRequest{};
  network.network->name = "demo_default";
  const size_t created = plan.add(std::move(network));
  auto request = replica("demo");
  request.host_config.network_mode = "demo_default";
  request.networks["demo_default"] = {};
  Step create = createStep(request);
  create.after = {created};
  plan.add(std::move(create));
  REQUIRE_FALSE(execute(f, plan));

  const auto details = f.engine.state().network("demo_default");
  REQUIRE(details);
  std::vector<runtime::ContainerSummary> listed;
  run(f, [&]() -> runtime::Awaitable<void> {
    const runtime::ListFilter all;
    listed = co_await f.engine.listContainers(all);
  });
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].network_ids.at("demo_default") == details->id);
}

TEST_CASE("copied files land at their paths with their mode and owner") {
  Fixture f;
  f.image("app:1");
  run(f, [&]() -> runtime::Awaitable<void> { co_await f.engine.createContainer(replica("demo")); });
  Plan plan;
  Step copy{.action = StepAction::CopyFiles, .service = "web", .target = "demo-web-1"};
  copy.files = {{"/run/secrets/token", "s3cret", 0400, 1000, 1001}, {"/app.conf", "a=1\n"}};
  plan.add(std::move(copy));
  REQUIRE_FALSE(execute(f, plan));
  const auto token = f.engine.state().file("demo-web-1", "/run/secrets/token");
  REQUIRE(token);
  CHECK(token->content == "s3cret");
  CHECK(token->mode == 0400);
  CHECK(token->uid == 1000);
  CHECK(token->gid == 1001);
  CHECK(f.engine.state().file("demo-web-1", "/app.conf")->mode == 0444);
}

}  // namespace stack::test
