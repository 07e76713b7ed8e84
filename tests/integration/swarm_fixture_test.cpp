// The ctest fixture around the swarm integration tests (tests/integration/CMakeLists.txt):
// `swarm: setup` runs first, `swarm: cleanup` after the last of them.

#include <doctest/doctest.h>

#include "tests/support/swarm_support.hpp"
#include "tests/support/test_project.hpp"

namespace stack::test {

TEST_CASE("swarm: setup (outside a swarm, stack deploy says to run docker swarm init)") {
  requireEngine();
  {
    SwarmLock lock;
    if (swarmState() == "inactive" && lock.noUsers()) {
      TestProject project("services: {app: {image: stack-test/busybox:latest}}\n", "sw");
      auto result = project.stack({"deploy"});
      INFO(result.out << result.err);
      CHECK(result.exit_code != 0);
      CHECK(result.err.find("this engine is not a swarm manager (swarm state: inactive)") !=
            std::string::npos);
      CHECK(result.err.find("docker swarm init") != std::string::npos);
      auto view = project.stack({"swarm", "ls"});
      CHECK(view.exit_code != 0);
      CHECK(view.err.find("docker swarm init") != std::string::npos);
    } else {
      MESSAGE("the engine is in a swarm already: the no-manager check needs one outside a swarm");
    }
  }
  SwarmGuard swarm;  // joins a single-node swarm for the tests that follow
  CHECK(swarmState() == "active");
}

TEST_CASE("swarm: cleanup (leaves the swarm if the setup joined it and no test runs)") {
  const std::string outcome = leaveSwarmIfUnused();
  MESSAGE(outcome);
  CHECK(outcome.rfind("docker swarm leave failed", 0) != 0);
}

}  // namespace stack::test
