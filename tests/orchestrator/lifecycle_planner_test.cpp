// The lifecycle plans as data: start, restart, pause, unpause, kill and rm.

#include <doctest/doctest.h>

#include <algorithm>

#include "core/error.hpp"
#include "orchestrator/planner/planner_lifecycle.hpp"
#include "tests/orchestrator/project_builder.hpp"

namespace stack::test {
namespace {

using orchestrator::planner::ObservedState;
using orchestrator::planner::Plan;
using orchestrator::planner::StepAction;

std::vector<std::string> actions(const Plan& plan) {
  std::vector<std::string> out;
  for (const auto& step : plan.steps()) {
    out.push_back(std::string(orchestrator::planner::stepActionName(step.action)) + " " +
                  step.target + (step.subject.empty() ? "" : " " + step.subject));
  }
  return out;
}

const orchestrator::planner::Step& find(const Plan& plan, StepAction action,
                                        const std::string& target) {
  auto it = std::find_if(plan.steps().begin(), plan.steps().end(),
                         [&](const auto& s) { return s.action == action && s.target == target; });
  REQUIRE_MESSAGE(it != plan.steps().end(), "no " << stepActionName(action) << " " << target);
  return *it;
}

bool has(const Plan& plan, StepAction action, const std::string& target) {
  return std::any_of(plan.steps().begin(), plan.steps().end(),
                     [&](const auto& s) { return s.action == action && s.target == target; });
}

// Is `earlier` reachable through `after` edges from `later`?
bool comesAfter(const Plan& plan, size_t later, size_t earlier) {
  std::vector<size_t> todo{later};
  while (!todo.empty()) {
    const size_t id = todo.back();
    todo.pop_back();
    for (size_t before : plan.step(id).after) {
      if (before == earlier) return true;
      todo.push_back(before);
    }
  }
  return false;
}

ObservedState observe(const orchestrator::compose::Project& p,
                      const std::string& state = "running") {
  ObservedState observed;
  for (const auto& [name, _] : p.services) {
    observed.containers.push_back(container(p, name, 1, "h1", state));
  }
  return observed;
}

runtime::ContainerSummary& named(ObservedState& observed, const std::string& name) {
  auto it = std::find_if(observed.containers.begin(), observed.containers.end(),
                         [&](const auto& c) { return c.name == name; });
  REQUIRE(it != observed.containers.end());
  return *it;
}

// web -> api -> db, where web restarts with api, and api with db only when asked to.
orchestrator::compose::Project chain(bool api_restarts_with_db) {
  auto p = project({service("web"), service("api"), service("db")});
  dependsOn(p, "web", "api", "service_started", true);
  dependsOn(p, "api", "db", "service_healthy", api_restarts_with_db);
  return p;
}

}  // namespace

TEST_CASE("projectFromLabels rebuilds services and depends_on from container labels") {
  auto p = project({service("web"), service("db"), service("cache")});
  auto observed = observe(p);
  named(observed, "demo-web-1").labels["com.docker.compose.depends_on"] =
      "db:service_healthy:true,cache:service_started:false,gone:service_started:true";
  auto oneoff = container(p, "tool", 1, "h1");
  oneoff.labels["com.docker.compose.oneoff"] = "True";
  observed.containers.push_back(oneoff);

  const auto rebuilt = orchestrator::planner::projectFromLabels("demo", observed);
  CHECK(rebuilt.name == "demo");
  CHECK(rebuilt.services.size() == 3);  // the one-off container's service is not one
  const auto& web = rebuilt.services.at("web");
  REQUIRE(web.depends_on.size() == 2);  // "gone" has no container: dropped
  CHECK(web.depends_on.at("db").condition == "service_healthy");
  CHECK(web.depends_on.at("db").restart);
  CHECK_FALSE(web.depends_on.at("cache").restart);
}

TEST_CASE("start starts stopped containers dependencies first gated on their condition") {
  auto p = chain(false);
  auto observed = observe(p, "exited");
  named(observed, "demo-web-1").state = "running";
  auto plan = orchestrator::planner::planStart(p, observed, {}).plan;
  const auto& start_db = find(plan, StepAction::StartContainer, "demo-db-1");
  const auto& start_api = find(plan, StepAction::StartContainer, "demo-api-1");
  const auto& gate = find(plan, StepAction::AwaitDependency, "db");
  CHECK(gate.subject == "service_healthy");
  CHECK(comesAfter(plan, gate.id, start_db.id));
  CHECK(comesAfter(plan, start_api.id, gate.id));
  CHECK_FALSE(has(plan, StepAction::StartContainer, "demo-web-1"));  // already running
}

TEST_CASE("start of a named service brings its dependencies and checks they exist") {
  auto p = chain(false);
  auto observed = observe(p, "exited");
  orchestrator::planner::StartOptions options;
  options.services = {"api"};
  auto plan = orchestrator::planner::planStart(p, observed, options).plan;
  CHECK(has(plan, StepAction::StartContainer, "demo-db-1"));
  CHECK(has(plan, StepAction::StartContainer, "demo-api-1"));
  CHECK_FALSE(has(plan, StepAction::StartContainer, "demo-web-1"));

  options.services = {"nope"};
  CHECK_THROWS_WITH_AS(orchestrator::planner::planStart(p, observed, options),
                       "no such service: nope", Error);
  std::erase_if(observed.containers, [](const auto& c) { return c.name == "demo-api-1"; });
  options.services = {"api"};
  CHECK_THROWS_WITH_AS(orchestrator::planner::planStart(p, observed, options),
                       "service \"api\" has no container to start", Error);
  CHECK_THROWS_AS(orchestrator::planner::planStart(p, ObservedState{}, {}), Error);
}

TEST_CASE("start leaves a paused container alone and says so") {
  auto p = project({service("web")});
  auto result = orchestrator::planner::planStart(p, observe(p, "paused"), {});
  CHECK(result.plan.empty());
  REQUIRE(result.warnings.size() == 1);
  CHECK(result.warnings[0].find("stack unpause") != std::string::npos);
}

TEST_CASE("restart of a service restarts its restart: true dependents after it") {
  auto p = chain(true);
  p.services["worker"] = service("worker");
  dependsOn(p, "worker", "db", "service_started", false);
  auto observed = observe(p);
  named(observed, "demo-web-1").state = "exited";  // restart starts stopped ones too
  orchestrator::planner::RestartOptions options;
  options.services = {"db"};
  options.timeout_seconds = 3;
  auto plan = orchestrator::planner::planRestart(p, observed, options).plan;
  const auto& db = find(plan, StepAction::RestartContainer, "demo-db-1");
  const auto& api = find(plan, StepAction::RestartContainer, "demo-api-1");
  const auto& web = find(plan, StepAction::RestartContainer, "demo-web-1");
  CHECK(db.timeout_seconds == 3);
  CHECK(comesAfter(plan, api.id, db.id));
  CHECK(comesAfter(plan, web.id, api.id));
  CHECK(find(plan, StepAction::AwaitDependency, "db").subject == "service_healthy");
  CHECK_FALSE(has(plan, StepAction::RestartContainer, "demo-worker-1"));

  options.no_deps = true;
  CHECK(actions(orchestrator::planner::planRestart(p, observed, options).plan) ==
        std::vector<std::string>{"restart-container demo-db-1"});
}

TEST_CASE("restart ignores dependencies that do not restart with their dependency") {
  auto p = chain(false);
  auto plan = orchestrator::planner::planRestart(p, observe(p), {}).plan;
  // Everything restarts; only web -> api orders them, and api needs no gate on db.
  CHECK(plan.steps().size() == 4);
  CHECK_FALSE(has(plan, StepAction::AwaitDependency, "db"));
  CHECK(comesAfter(plan, find(plan, StepAction::RestartContainer, "demo-web-1").id,
                   find(plan, StepAction::RestartContainer, "demo-api-1").id));
  CHECK(find(plan, StepAction::RestartContainer, "demo-db-1").after.empty());
}

TEST_CASE("pause touches running containers only and unpause paused ones only") {
  auto p = project({service("web"), service("db"), service("cache")});
  auto observed = observe(p);
  named(observed, "demo-db-1").state = "paused";
  named(observed, "demo-cache-1").state = "exited";
  CHECK(actions(orchestrator::planner::planPause(p, observed, {}).plan) ==
        std::vector<std::string>{"pause-container demo-web-1"});
  CHECK(actions(orchestrator::planner::planUnpause(p, observed, {}).plan) ==
        std::vector<std::string>{"unpause-container demo-db-1"});
  CHECK(orchestrator::planner::planPause(p, observed, {"db"}).plan.empty());
  CHECK_THROWS_AS(orchestrator::planner::planPause(p, observed, {"nope"}), Error);
}

TEST_CASE("kill signals running containers dependents first and orphans only when asked") {
  auto p = chain(false);
  auto observed = observe(p);
  named(observed, "demo-api-1").state = "exited";
  observed.containers.push_back(container(p, "old", 1, "h0"));
  auto oneoff = container(p, "web", 1, "h1");
  oneoff.name = "demo-web-run-0123456789ab";
  oneoff.labels["com.docker.compose.oneoff"] = "True";
  observed.containers.push_back(oneoff);
  orchestrator::planner::KillOptions options;
  options.signal = "SIGTERM";
  auto plan = orchestrator::planner::planKill(p, observed, options).plan;
  const auto& web = find(plan, StepAction::KillContainer, "demo-web-1");
  const auto& db = find(plan, StepAction::KillContainer, "demo-db-1");
  CHECK(web.subject == "SIGTERM");
  CHECK(comesAfter(plan, db.id, web.id));  // through api, which has nothing to kill
  CHECK(has(plan, StepAction::KillContainer, "demo-web-run-0123456789ab"));
  CHECK_FALSE(has(plan, StepAction::KillContainer, "demo-api-1"));
  CHECK_FALSE(has(plan, StepAction::KillContainer, "demo-old-1"));
  options.remove_orphans = true;
  CHECK(has(orchestrator::planner::planKill(p, observed, options).plan, StepAction::KillContainer,
            "demo-old-1"));
  options.services = {"db"};
  CHECK(actions(orchestrator::planner::planKill(p, observed, options).plan) ==
        std::vector<std::string>{"kill-container demo-db-1 SIGTERM"});
}

TEST_CASE("rm removes stopped containers only and with stop it stops dependents first") {
  auto p = chain(false);
  auto observed = observe(p);
  named(observed, "demo-db-1").state = "exited";
  orchestrator::planner::RemoveContainersOptions options;
  options.volumes = true;
  auto plan = orchestrator::planner::planRemove(p, observed, options).plan;
  CHECK(actions(plan) == std::vector<std::string>{"remove-container demo-db-1"});
  CHECK(plan.steps()[0].remove_volumes);

  options.stop = true;
  plan = orchestrator::planner::planRemove(p, observed, options).plan;
  const auto& stop_web = find(plan, StepAction::StopContainer, "demo-web-1");
  const auto& stop_api = find(plan, StepAction::StopContainer, "demo-api-1");
  CHECK(comesAfter(plan, stop_api.id, stop_web.id));
  CHECK(comesAfter(plan, find(plan, StepAction::RemoveContainer, "demo-web-1").id, stop_web.id));
  CHECK(find(plan, StepAction::RemoveContainer, "demo-db-1").after.empty());
  CHECK_FALSE(has(plan, StepAction::StopContainer, "demo-db-1"));
  CHECK(plan.steps().size() == 5);
}

}  // namespace stack::test
