// The typed policies: one parser each, and the one meaning every reader shares.
#include "orchestrator/compose/policies.hpp"

#include <doctest/doctest.h>

#include "compose_test_util.hpp"
#include "orchestrator/compose/loader.hpp"

using namespace stack::orchestrator::compose;
using stack::orchestrator::compose::testing::TempProject;

namespace {

Service withDeployCondition(const std::string& condition,
                            std::optional<uint64_t> max_attempts = std::nullopt) {
  Service service;
  service.name = "web";
  DeployConfig deploy;
  deploy.restart_policy = RestartPolicy{.condition = condition, .max_attempts = max_attempts};
  service.deploy = deploy;
  return service;
}

}  // namespace

TEST_CASE("restart parses every compose spelling and rejects the rest") {
  CHECK(parseRestart("")->mode == RestartMode::Unset);
  CHECK(parseRestart("no")->mode == RestartMode::No);
  CHECK(parseRestart("always")->mode == RestartMode::Always);
  CHECK(parseRestart("unless-stopped")->mode == RestartMode::UnlessStopped);
  CHECK(*parseRestart("on-failure") == EffectiveRestartPolicy{RestartMode::OnFailure, 0});
  CHECK(*parseRestart("on-failure:3") == EffectiveRestartPolicy{RestartMode::OnFailure, 3});
  for (const char* bad : {"yes", "on-failure:", "on-failure:-1", "on-failure:x", "Always",
                          "on-failure:3x", "never"}) {
    CAPTURE(bad);
    CHECK_FALSE(parseRestart(bad));
  }
}

TEST_CASE("deploy.restart_policy is the effective policy when restart is not set") {
  CHECK(restartPolicyOf(withDeployCondition("any")).mode == RestartMode::Always);
  CHECK(restartPolicyOf(withDeployCondition("")).mode == RestartMode::Always);
  CHECK(restartPolicyOf(withDeployCondition("none")).mode == RestartMode::No);
  CHECK(restartPolicyOf(withDeployCondition("on-failure", 2)) ==
        EffectiveRestartPolicy{RestartMode::OnFailure, 2});
  Service both = withDeployCondition("none");
  both.restart = "always";  // restart wins, as the engine request always had it
  CHECK(restartPolicyOf(both).mode == RestartMode::Always);
  Service neither;
  CHECK(restartPolicyOf(neither).mode == RestartMode::Unset);
  CHECK_FALSE(restartPolicyOf(neither).mayRestart());
}

TEST_CASE("restartsAfter follows the engine: on-failure counts retries, always ignores the code") {
  const EffectiveRestartPolicy always{RestartMode::Always};
  CHECK(always.mayRestart());
  CHECK(always.restartsAfter(0, 100));
  const EffectiveRestartPolicy limited{RestartMode::OnFailure, 2};
  CHECK(limited.mayRestart());
  CHECK(limited.restartsAfter(1, 0));
  CHECK(limited.restartsAfter(1, 1));
  CHECK_FALSE(limited.restartsAfter(1, 2));  // exhausted
  CHECK_FALSE(limited.restartsAfter(0, 0));  // success is not a failure
  const EffectiveRestartPolicy unlimited{RestartMode::OnFailure, 0};
  CHECK(unlimited.restartsAfter(1, 1000));
  const EffectiveRestartPolicy no{RestartMode::No};
  CHECK_FALSE(no.mayRestart());
  CHECK_FALSE(no.restartsAfter(1, 0));
  CHECK(no.engineName() == "no");
  CHECK(EffectiveRestartPolicy{}.engineName().empty());
  CHECK(unlimited.engineName() == "on-failure");
  CHECK(EffectiveRestartPolicy{RestartMode::UnlessStopped}.engineName() == "unless-stopped");
}

TEST_CASE("pull_policy parses to a mode, with a period for the refresh policies") {
  using namespace std::chrono_literals;
  CHECK(parsePullPolicy("")->mode == PullMode::Unset);
  CHECK(parsePullPolicy("if_not_present")->mode == PullMode::Missing);
  CHECK(parsePullPolicy("if_not_present")->name == "missing");
  CHECK(parsePullPolicy("build")->mode == PullMode::Build);
  CHECK(parsePullPolicy("daily")->period == 24h);
  CHECK(parsePullPolicy("every_12h")->refreshes());
  CHECK(parsePullPolicy("every_12h")->period == 12h);
  CHECK_FALSE(parsePullPolicy("every_0s")->refreshes());
  CHECK_FALSE(parsePullPolicy("refresh")->refreshes());
  CHECK_FALSE(parsePullPolicy("every_soon"));
  CHECK_FALSE(parsePullPolicy("sometimes"));
}

TEST_CASE("depends_on conditions round-trip through their names") {
  for (auto condition : {DependencyCondition::Started, DependencyCondition::Healthy,
                         DependencyCondition::CompletedSuccessfully}) {
    CHECK(parseDependencyCondition(conditionName(condition)) == condition);
  }
  CHECK_FALSE(parseDependencyCondition("service_ready"));
}

TEST_CASE("the loader accepts what the parsers accept and names the key of what they reject") {
  TempProject p;
  p.write("compose.yaml",
          "services:\n  web:\n    image: x\n    restart: on-failure:2\n"
          "    pull_policy: every_1h\n    deploy: {restart_policy: {condition: any}}\n");
  auto project = loadProject(p.options()).project;
  CHECK(restartPolicyOf(project.services.at("web")) ==
        EffectiveRestartPolicy{RestartMode::OnFailure, 2});
  p.write("compose.yaml", "services:\n  web: {image: x, restart: on-failure:two}\n");
  CHECK_THROWS_WITH(loadProject(p.options()), doctest::Contains("invalid restart policy"));
  p.write("compose.yaml",
          "services:\n  web: {image: x, deploy: {restart_policy: {condition: sometimes}}}\n");
  CHECK_THROWS_WITH(loadProject(p.options()), doctest::Contains("invalid restart condition"));
  p.write("compose.yaml", "services:\n  web: {image: x, pull_policy: sometimes}\n");
  CHECK_THROWS_WITH(loadProject(p.options()), doctest::Contains("invalid pull policy"));
}
