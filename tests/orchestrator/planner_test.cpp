// The planner as data: scenarios in, single-call steps out.

#include <doctest/doctest.h>

#include <algorithm>

#include "core/error.hpp"
#include "tests/orchestrator/project_builder.hpp"

namespace stack::test {
namespace {

using orchestrator::planner::DesiredState;
using orchestrator::planner::ObservedState;
using orchestrator::planner::Plan;
using orchestrator::planner::StepAction;

DesiredState hashes(const orchestrator::compose::Project& p, const std::string& hash = "h1") {
  DesiredState desired;
  for (const auto& [name, _] : p.services) desired.config_hashes[name] = hash;
  return desired;
}

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
  REQUIRE(it != plan.steps().end());
  return *it;
}

bool comesAfter(const Plan& plan, size_t later, size_t earlier) {
  // Transitive: is `earlier` reachable through `after` edges from `later`?
  std::vector<size_t> todo{later};
  while (!todo.empty()) {
    size_t id = todo.back();
    todo.pop_back();
    for (size_t before : plan.step(id).after) {
      if (before == earlier) return true;
      todo.push_back(before);
    }
  }
  return false;
}

ObservedState running(const orchestrator::compose::Project& p, const std::string& hash = "h1") {
  ObservedState observed;
  for (const auto& [name, _] : p.services)
    observed.containers.push_back(container(p, name, 1, hash));
  observed.networks[p.name + "_default"] = network(p.name, p.name + "_default");
  return observed;
}

}  // namespace

TEST_CASE("a fresh project creates its network, then containers, and starts them in order") {
  auto p = project({service("web"), service("db")});
  dependsOn(p, "web", "db");
  auto result = orchestrator::planner::planUp(p, hashes(p), {}, {});
  const Plan& plan = result.plan;
  const auto& network_step = find(plan, StepAction::CreateNetwork, "demo_default");
  const auto& create_db = find(plan, StepAction::CreateContainer, "demo-db-1");
  const auto& create_web = find(plan, StepAction::CreateContainer, "demo-web-1");
  const auto& start_db = find(plan, StepAction::StartContainer, "demo-db-1");
  const auto& start_web = find(plan, StepAction::StartContainer, "demo-web-1");
  CHECK(comesAfter(plan, create_db.id, network_step.id));
  CHECK(comesAfter(plan, create_web.id, network_step.id));
  CHECK(comesAfter(plan, start_web.id, start_db.id));
  // web's container is created without waiting for db: only its start waits.
  CHECK_FALSE(comesAfter(plan, create_web.id, start_db.id));
  CHECK(create_web.container->create.config.labels.at("com.docker.compose.config-hash") == "h1");
  CHECK(create_web.container->create.networks.count("demo_default") == 1);
}

TEST_CASE("an up with nothing changed plans nothing") {
  auto p = project({service("web"), service("db")});
  dependsOn(p, "web", "db");
  auto result = orchestrator::planner::planUp(p, hashes(p), running(p), {});
  CHECK(result.plan.empty());
}

TEST_CASE("a changed service is recreated alone, through a temporary name") {
  auto p = project({service("web"), service("db")});
  dependsOn(p, "web", "db");
  auto observed = running(p);
  auto desired = hashes(p);
  desired.config_hashes["web"] = "h2";
  auto plan = orchestrator::planner::planUp(p, desired, observed, {}).plan;
  const std::string temporary = container(p, "web", 1, "h1").id.substr(0, 12) + "_demo-web-1";
  CHECK(actions(plan) == std::vector<std::string>{
                             "await-dependency db service_started",
                             "create-container " + temporary,
                             "stop-container demo-web-1",
                             "remove-container demo-web-1",
                             "rename-container " + temporary + " demo-web-1",
                             "start-container demo-web-1",
                         });
  const auto& create = find(plan, StepAction::CreateContainer, temporary);
  CHECK(create.container->create.config.labels.at("com.docker.compose.replace") == "demo-web-1");
}

TEST_CASE("dependents that declare restart: true restart when their dependency is recreated") {
  auto p = project({service("web"), service("db"), service("worker")});
  dependsOn(p, "web", "db", "service_started", true);
  dependsOn(p, "worker", "db", "service_started", false);
  auto desired = hashes(p);
  desired.config_hashes["db"] = "h2";
  auto plan = orchestrator::planner::planUp(p, desired, running(p), {}).plan;
  const auto& stop_web = find(plan, StepAction::StopContainer, "demo-web-1");
  const auto& stop_db = find(plan, StepAction::StopContainer, "demo-db-1");
  const auto& start_web = find(plan, StepAction::StartContainer, "demo-web-1");
  const auto& start_db = find(plan, StepAction::StartContainer, "demo-db-1");
  CHECK(comesAfter(plan, stop_db.id, stop_web.id));
  CHECK(comesAfter(plan, start_web.id, start_db.id));
  for (const auto& step : plan.steps()) CHECK(step.target != "demo-worker-1");
}

TEST_CASE("a stopped container is started, not recreated") {
  auto p = project({service("web")});
  auto observed = running(p);
  observed.containers[0].state = "exited";
  CHECK(actions(orchestrator::planner::planUp(p, hashes(p), observed, {}).plan) ==
        std::vector<std::string>{"start-container demo-web-1"});
}

TEST_CASE(
    "scale up numbers new replicas after the existing ones and scale down removes the highest") {
  auto p = project({service("web")});
  auto observed = running(p);
  orchestrator::planner::UpOptions options;
  options.scale["web"] = 3;
  auto up = orchestrator::planner::planUp(p, hashes(p), observed, options).plan;
  CHECK(actions(up) ==
        std::vector<std::string>{"create-container demo-web-2", "start-container demo-web-2",
                                 "create-container demo-web-3", "start-container demo-web-3"});
  observed.containers.push_back(container(p, "web", 2, "h1"));
  observed.containers.push_back(container(p, "web", 3, "h1"));
  options.scale["web"] = 1;
  auto down = orchestrator::planner::planUp(p, hashes(p), observed, options).plan;
  CHECK(actions(down) ==
        std::vector<std::string>{"stop-container demo-web-2", "remove-container demo-web-2",
                                 "stop-container demo-web-3", "remove-container demo-web-3"});
}

TEST_CASE("orphans are reported, and removed only with --remove-orphans") {
  auto p = project({service("web")});
  auto observed = running(p);
  observed.containers.push_back(container(p, "old", 1, "h0"));
  auto kept = orchestrator::planner::planUp(p, hashes(p), observed, {});
  CHECK(kept.plan.empty());
  REQUIRE(kept.warnings.size() == 1);
  CHECK(kept.warnings[0].find("demo-old-1") != std::string::npos);
  orchestrator::planner::UpOptions options;
  options.remove_orphans = true;
  CHECK(actions(orchestrator::planner::planUp(p, hashes(p), observed, options).plan) ==
        std::vector<std::string>{"stop-container demo-old-1", "remove-container demo-old-1"});
}

TEST_CASE("an interrupted recreate converges: the temporary container is renamed, extras removed") {
  auto p = project({service("web")});
  ObservedState observed;
  observed.networks["demo_default"] = network("demo", "demo_default");
  auto temporary = container(p, "web", 1, "h1");
  temporary.name = "abcdef012345_demo-web-1";
  temporary.state = "created";
  observed.containers.push_back(temporary);
  CHECK(actions(orchestrator::planner::planUp(p, hashes(p), observed, {}).plan) ==
        std::vector<std::string>{"rename-container abcdef012345_demo-web-1 demo-web-1",
                                 "start-container demo-web-1"});
  // Both the old and the new container survived: keep the one with the final name.
  auto old = container(p, "web", 1, "h1");
  observed.containers.push_back(old);
  auto plan = orchestrator::planner::planUp(p, hashes(p), observed, {}).plan;
  CHECK(actions(plan) == std::vector<std::string>{"remove-container abcdef012345_demo-web-1"});
}

TEST_CASE("a missing external network is an error, and an existing one is used, never created") {
  auto p = project({service("web")});
  p.networks["default"].external = true;
  p.networks["default"].name = "shared";
  CHECK_THROWS_AS(orchestrator::planner::planUp(p, hashes(p), {}, {}), Error);
  ObservedState observed;
  observed.networks["shared"] = network("someone-else", "shared");
  auto plan = orchestrator::planner::planUp(p, hashes(p), observed, {}).plan;
  for (const auto& step : plan.steps()) CHECK(step.action != StepAction::CreateNetwork);
  CHECK(find(plan, StepAction::CreateContainer, "demo-web-1")
            .container->create.networks.count("shared"));
}

TEST_CASE("container_name with several replicas is a configuration error") {
  auto p = project({service("web")});
  p.services.at("web").container_name = "fixed";
  p.services.at("web").scale = 2;
  CHECK_THROWS_AS(orchestrator::planner::planUp(p, hashes(p), {}, {}), Error);
}

TEST_CASE("down stops dependents first, removes networks, and volumes only with -v") {
  auto p = project({service("web"), service("db")});
  dependsOn(p, "web", "db");
  p.volumes["data"].name = "demo_data";
  p.volumes["shared"].name = "shared";
  p.volumes["shared"].external = true;
  auto observed = running(p);
  observed.volumes["demo_data"] = {.name = "demo_data",
                                   .labels = {{"com.docker.compose.project", "demo"}}};
  observed.volumes["shared"] = {.name = "shared",
                                .labels = {{"com.docker.compose.project", "demo"}}};
  auto plan = orchestrator::planner::planDown("demo", &p, observed, {}).plan;
  const auto& stop_web = find(plan, StepAction::StopContainer, "demo-web-1");
  const auto& stop_db = find(plan, StepAction::StopContainer, "demo-db-1");
  CHECK(comesAfter(plan, stop_db.id, stop_web.id));
  find(plan, StepAction::RemoveNetwork, "demo_default");
  for (const auto& step : plan.steps()) CHECK(step.action != StepAction::RemoveVolume);
  orchestrator::planner::DownOptions with_volumes;
  with_volumes.remove_volumes = true;
  auto plan_v = orchestrator::planner::planDown("demo", &p, observed, with_volumes).plan;
  find(plan_v, StepAction::RemoveVolume, "demo_data");
  for (const auto& step : plan_v.steps()) CHECK(step.target != "shared");
}

TEST_CASE("down without a compose file orders stops from the depends_on labels") {
  auto p = project({service("web"), service("db")});
  auto observed = running(p);
  observed.containers[1].labels["com.docker.compose.depends_on"] = "db:service_started:false";
  REQUIRE(observed.containers[1].name == "demo-web-1");
  auto plan = orchestrator::planner::planDown("demo", nullptr, observed, {}).plan;
  CHECK(comesAfter(plan, find(plan, StepAction::StopContainer, "demo-db-1").id,
                   find(plan, StepAction::StopContainer, "demo-web-1").id));
}

}  // namespace stack::test
