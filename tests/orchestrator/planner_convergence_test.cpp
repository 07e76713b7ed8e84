// The planner after an interrupted `up`: duplicate networks, leftovers holding a
// temporary name, and endpoints pinned to network ids.

#include <doctest/doctest.h>

#include <algorithm>

#include "orchestrator/observe.hpp"
#include "tests/orchestrator/project_builder.hpp"

namespace stack::test {
namespace {

using orchestrator::planner::DesiredState;
using orchestrator::planner::ObservedState;
using orchestrator::planner::Plan;
using orchestrator::planner::Step;
using orchestrator::planner::StepAction;

DesiredState hashes(const orchestrator::compose::Project& p, const std::string& hash = "h1") {
  DesiredState desired;
  for (const auto& [name, _] : p.services) desired.config_hashes[name] = hash;
  return desired;
}

const Step* findStep(const Plan& plan, StepAction action, const std::string& target) {
  auto it = std::find_if(plan.steps().begin(), plan.steps().end(),
                         [&](const Step& s) { return s.action == action && s.target == target; });
  return it == plan.steps().end() ? nullptr : &*it;
}

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

runtime::NetworkDetails networkWithId(const std::string& project, const std::string& name,
                                      const std::string& id) {
  auto n = network(project, name);
  n.id = id;
  return n;
}

// web-1 runs, attached by id to `attached_id`; demo_default exists as net-a and net-b.
ObservedState twoDefaults(const orchestrator::compose::Project& p, const std::string& attached_id) {
  ObservedState observed;
  observed.containers.push_back(container(p, "web", 1, "h1"));
  observed.containers[0].network_ids["demo_default"] = attached_id;
  orchestrator::keepNetworks(observed, {networkWithId("demo", "demo_default", "net-a"),
                                        networkWithId("demo", "demo_default", "net-b")});
  return observed;
}

}  // namespace

TEST_CASE("of two networks with one name the one containers use is kept") {
  auto p = project({service("web")});
  auto observed = twoDefaults(p, "net-b");
  CHECK(observed.networks.at("demo_default").id == "net-b");
  REQUIRE(observed.duplicate_networks.size() == 1);
  CHECK(observed.duplicate_networks[0].id == "net-a");
  // With no user the lowest id wins: every run makes the same choice.
  ObservedState unused;
  orchestrator::keepNetworks(unused, {networkWithId("demo", "demo_default", "net-b"),
                                      networkWithId("demo", "demo_default", "net-a")});
  CHECK(unused.networks.at("demo_default").id == "net-a");
}

TEST_CASE("an unused duplicate network is removed by id and nothing else changes") {
  auto p = project({service("web")});
  auto plan = orchestrator::planner::planUp(p, hashes(p), twoDefaults(p, "net-b"), {}).plan;
  REQUIRE(plan.steps().size() == 1);
  const Step& removal = plan.steps()[0];
  CHECK(removal.action == StepAction::RemoveNetwork);
  CHECK(removal.target == "net-a");
  CHECK(removal.subject == "demo_default");
}

TEST_CASE("a container attached to a duplicate is recreated before the duplicate goes") {
  auto p = project({service("web"), service("db")});
  auto observed = twoDefaults(p, "net-b");
  observed.containers.push_back(container(p, "db", 1, "h1"));
  observed.containers[1].network_ids["demo_default"] = "net-a";
  auto plan = orchestrator::planner::planUp(p, hashes(p), observed, {}).plan;
  const Step* remove_db = findStep(plan, StepAction::RemoveContainer, "demo-db-1");
  const Step* remove_net = findStep(plan, StepAction::RemoveNetwork, "net-a");
  REQUIRE(remove_db);
  REQUIRE(remove_net);
  CHECK(comesAfter(plan, remove_net->id, remove_db->id));
  CHECK(remove_db->reason == "replaced");
  CHECK(findStep(plan, StepAction::RemoveContainer, "demo-web-1") == nullptr);
  // The replacement is pinned to the network that stays.
  for (const auto& step : plan.steps()) {
    if (step.action != StepAction::CreateContainer) continue;
    CHECK(step.container->create.networks.at("demo_default").network_id == "net-b");
  }
}

TEST_CASE("a duplicate that an unselected service's container uses stays with a warning") {
  auto p = project({service("web"), service("db")});
  auto observed = twoDefaults(p, "net-b");
  observed.containers.push_back(container(p, "db", 1, "h1"));
  observed.containers[1].network_ids["demo_default"] = "net-a";
  orchestrator::planner::UpOptions options;
  options.services = {"web"};
  auto result = orchestrator::planner::planUp(p, hashes(p), observed, options);
  CHECK(findStep(result.plan, StepAction::RemoveNetwork, "net-a") == nullptr);
  REQUIRE(result.warnings.size() == 1);
  CHECK(result.warnings[0].find("demo-db-1") != std::string::npos);
}

TEST_CASE("a replacement waits for the leftover that holds its temporary name") {
  auto p = project({service("web")});
  ObservedState observed;
  observed.networks["demo_default"] = networkWithId("demo", "demo_default", "net-a");
  auto old = container(p, "web", 1, "h0");
  observed.containers.push_back(old);
  auto leftover = container(p, "web", 1, "h1");
  leftover.name = old.id.substr(0, 12) + "_demo-web-1";
  leftover.state = "created";
  observed.containers.push_back(leftover);
  auto plan = orchestrator::planner::planUp(p, hashes(p), observed, {}).plan;
  const Step* removed = findStep(plan, StepAction::RemoveContainer, leftover.name);
  const Step* created = findStep(plan, StepAction::CreateContainer, leftover.name);
  REQUIRE(removed);
  REQUIRE(created);
  CHECK(comesAfter(plan, created->id, removed->id));
  CHECK(created->container->create.networks.at("demo_default").network_id == "net-a");
}

TEST_CASE("down removes every network of a duplicated name by id") {
  auto p = project({service("web")});
  auto plan = orchestrator::planner::planDown("demo", &p, twoDefaults(p, "net-b"), {}).plan;
  const Step* kept = findStep(plan, StepAction::RemoveNetwork, "net-b");
  const Step* duplicate = findStep(plan, StepAction::RemoveNetwork, "net-a");
  REQUIRE(kept);
  REQUIRE(duplicate);
  CHECK(kept->subject == "demo_default");
  const Step* removal = findStep(plan, StepAction::RemoveContainer, "demo-web-1");
  REQUIRE(removal);
  CHECK(comesAfter(plan, kept->id, removal->id));
}

TEST_CASE("copied secrets are written after create and before start and again on a restart") {
  auto p = project({service("web")});
  p.configs["inline"].content = "a=1";
  p.services.at("web").configs.push_back({.source = "inline"});
  auto fresh = orchestrator::planner::planUp(p, hashes(p), {}, {}).plan;
  const Step* create = findStep(fresh, StepAction::CreateContainer, "demo-web-1");
  const Step* copy = findStep(fresh, StepAction::CopyFiles, "demo-web-1");
  const Step* start = findStep(fresh, StepAction::StartContainer, "demo-web-1");
  REQUIRE(copy);
  CHECK(comesAfter(fresh, copy->id, create->id));
  CHECK(comesAfter(fresh, start->id, copy->id));
  REQUIRE(copy->files.size() == 1);
  CHECK(copy->files[0].path == "/inline");
  CHECK(create->container->files.empty());  // the files travel in the copy step only

  // A container an interrupted up created but never gave its files gets them first.
  ObservedState observed;
  observed.networks["demo_default"] = networkWithId("demo", "demo_default", "net-a");
  observed.containers.push_back(container(p, "web", 1, "h1", "created"));
  auto resumed = orchestrator::planner::planUp(p, hashes(p), observed, {}).plan;
  REQUIRE(resumed.steps().size() == 2);
  CHECK(resumed.steps()[0].action == StepAction::CopyFiles);
  CHECK(resumed.steps()[1].action == StepAction::StartContainer);
  CHECK(comesAfter(resumed, 1, 0));
}

}  // namespace stack::test
