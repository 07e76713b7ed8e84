// The deploy planner: pure, from desired and observed state to single API writes.

#include "swarm/deploy_plan.hpp"

#include <doctest/doctest.h>

#include "core/error.hpp"
#include "swarm/converter.hpp"
#include "tests/swarm/swarm_test_support.hpp"

namespace stack::swarm {
namespace {

using testing::load;

const char* kStack = R"(
services:
  web:
    image: web:1
    secrets: [key]
    networks: [front]
  db:
    image: db:1
    networks: [front]
networks:
  front: {}
secrets:
  key: {file: ./key.txt}
)";

StackSpec desired(const std::string& key_data = "k1", const std::string& web_env = "") {
  std::string yaml = kStack;
  if (!web_env.empty())
    yaml.replace(yaml.find("    secrets"), 0, "    environment: [" + web_env + "]\n");
  ConvertInputs inputs;
  inputs.secret_data["key"] = key_data;
  return convert(load(yaml), inputs);
}

// What the swarm would hold after `plan` ran.
ObservedStack observedAfter(const DeployPlan& plan) {
  ObservedStack out;
  uint64_t version = 5;
  for (const auto& s : plan.services) {
    runtime::SwarmService service;
    service.id = "id-" + s.name;
    service.version = ++version;
    service.name = s.name;
    service.spec = s.spec;
    service.labels = s.spec["Labels"].get<runtime::StringMap>();
    out.services.push_back(service);
  }
  for (const auto& n : plan.networks) {
    runtime::NetworkDetails network;
    network.id = "net-" + n.name;
    network.name = n.name;
    network.scope = "swarm";
    network.labels = n.create.labels;
    out.networks.push_back(network);
  }
  for (const auto& s : plan.secrets)
    out.secrets.push_back({"sec-" + s.name, 1, s.name, s.labels, ""});
  return out;
}

std::vector<std::string> calls(const DeployPlan& plan) {
  std::vector<std::string> out;
  for (const auto& step : plan.steps) out.push_back(stepCall(step) + " " + step.name);
  return out;
}

TEST_CASE("a new stack: networks and secrets first, then the services") {
  const DeployPlan plan = planDeploy(desired(), ObservedStack{});
  CHECK(calls(plan) == std::vector<std::string>{
                           "POST /networks/create demo_front", "POST /secrets/create demo_key",
                           "POST /services/create demo_db", "POST /services/create demo_web"});
  CHECK(plan.services[1].spec["Labels"]["dev.stack.spec-hash"] == plan.services[1].spec_hash);
  CHECK(plan.services[1].spec_hash == specHash(plan.services[1].spec));
}

TEST_CASE("an unchanged stack plans no write") {
  const DeployPlan first = planDeploy(desired(), ObservedStack{});
  const DeployPlan again = planDeploy(desired(), observedAfter(first));
  CHECK_FALSE(again.writes());
  CHECK(again.unchanged == std::vector<std::string>{"demo_db", "demo_web"});
  CHECK(again.secret_ids.at("demo_key") == "sec-demo_key");
}

TEST_CASE("a changed service is updated at the version it was read at, the others are not") {
  const DeployPlan first = planDeploy(desired(), ObservedStack{});
  const ObservedStack observed = observedAfter(first);
  const DeployPlan again = planDeploy(desired("k1", "MODE=fast"), observed);
  REQUIRE(again.steps.size() == 1);
  CHECK(again.steps[0].kind == StepKind::UpdateService);
  CHECK(again.steps[0].name == "demo_web");
  CHECK(again.steps[0].id == "id-demo_web");
  CHECK(again.steps[0].version == observed.services[1].version);
  CHECK(again.steps[0].reason == "spec changed");
  CHECK(again.unchanged == std::vector<std::string>{"demo_db"});
}

TEST_CASE("a service docker stack deploy wrote (no spec hash) is updated once") {
  ObservedStack observed = observedAfter(planDeploy(desired(), ObservedStack{}));
  for (auto& service : observed.services) service.labels.erase("dev.stack.spec-hash");
  const DeployPlan plan = planDeploy(desired(), observed);
  CHECK(calls(plan) ==
        std::vector<std::string>{"POST /services/id-demo_db/update?version=6 demo_db",
                                 "POST /services/id-demo_web/update?version=7 demo_web"});
  CHECK(plan.steps[0].reason == "last deployed by another tool");
}

TEST_CASE("services that left the file: orphans, or removed with prune") {
  ObservedStack observed = observedAfter(planDeploy(desired(), ObservedStack{}));
  runtime::SwarmService old;
  old.id = "id-old";
  old.name = "demo_old";
  observed.services.push_back(old);
  const DeployPlan keep = planDeploy(desired(), observed);
  CHECK_FALSE(keep.writes());
  CHECK(keep.orphans == std::vector<std::string>{"demo_old"});
  PlanOptions prune;
  prune.prune = true;
  CHECK(calls(planDeploy(desired(), observed, prune)) ==
        std::vector<std::string>{"DELETE /services/id-old demo_old"});
}

TEST_CASE("changed secret data: a new version, the service switches, the old one goes after") {
  const ObservedStack observed = observedAfter(planDeploy(desired(), ObservedStack{}));
  const DeployPlan plan = planDeploy(desired("k2"), observed);
  const std::string hash = desired("k2").secrets[0].content_hash;
  const std::string versioned = "demo_key-" + hash.substr(0, 8);
  CHECK(calls(plan) ==
        std::vector<std::string>{"POST /secrets/create " + versioned,
                                 "POST /services/id-demo_web/update?version=7 demo_web",
                                 "DELETE /secrets/sec-demo_key demo_key"});
  CHECK(plan.services[1].spec["TaskTemplate"]["ContainerSpec"]["Secrets"][0]["SecretName"] ==
        versioned);
  // Back to the first data: the original object is reused, the version goes.
  ObservedStack later = observedAfter(plan);
  later.secrets.push_back(observed.secrets[0]);
  later.networks = observed.networks;
  const DeployPlan back = planDeploy(desired("k1"), later);
  CHECK(calls(back) ==
        std::vector<std::string>{"POST /services/id-demo_web/update?version=7 demo_web",
                                 "DELETE /secrets/sec-" + versioned + " " + versioned});
}

TEST_CASE("an orphan keeps the secret versions it references") {
  ObservedStack observed = observedAfter(planDeploy(desired(), ObservedStack{}));
  runtime::SwarmService old;
  old.id = "id-old";
  old.name = "demo_old";
  old.spec = {{"TaskTemplate", {{"ContainerSpec", {{"Secrets", {{{"SecretName", "demo_key"}}}}}}}}};
  observed.services.push_back(old);
  const DeployPlan plan = planDeploy(desired("k2"), observed);
  for (const auto& step : plan.steps) CHECK(step.kind != StepKind::RemoveSecret);
}

TEST_CASE("external objects must exist and are never written") {
  const StackSpec stack = convert(load(R"(
services: {web: {image: a, networks: [corp], secrets: [token]}}
networks: {corp: {external: true, name: corp-net}}
secrets: {token: {external: true}}
)"),
                                  ConvertInputs{});
  try {
    planDeploy(stack, ObservedStack{});
    FAIL("no error");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::NotFound);
    CHECK(std::string(error.what()).find("\"corp-net\" is declared as external") !=
          std::string::npos);
    CHECK(error.hint().find("docker network create --driver overlay") != std::string::npos);
  }
  ObservedStack observed;
  runtime::NetworkDetails local;
  local.name = "corp-net";
  local.scope = "local";
  observed.external_networks["corp-net"] = local;
  CHECK_THROWS_WITH_AS(planDeploy(stack, observed), doctest::Contains("not \"swarm\""), Error);
  observed.external_networks["corp-net"].scope = "swarm";
  CHECK_THROWS_WITH_AS(planDeploy(stack, observed),
                       doctest::Contains("secret \"token\" is declared as external"), Error);
  observed.external_secrets["token"] = runtime::SwarmFileObject{"tok-id", 1, "token", {}, ""};
  const DeployPlan plan = planDeploy(stack, observed);
  CHECK(calls(plan) == std::vector<std::string>{"POST /services/create demo_web"});
  CHECK(plan.secret_ids.at("token") == "tok-id");
}

TEST_CASE("the printed plan names each call, then what stays") {
  const DeployPlan first = planDeploy(desired(), ObservedStack{});
  const DeployPlan plan = planDeploy(desired("k1", "X=1"), observedAfter(first));
  CHECK(describePlan(plan) ==
        std::vector<std::string>{
            "POST /services/id-demo_web/update?version=7  demo_web  (spec changed)",
            "unchanged  demo_db"});
  const Json json = planJson(plan);
  CHECK(json["calls"][0]["spec"]["Name"] == "demo_web");
  CHECK(json["unchanged"] == Json::array({"demo_db"}));
}

}  // namespace
}  // namespace stack::swarm
