// Interoperability with docker-compose v1 (Debian's 1.29.2) on the same project: it sees
// stack's containers, and stack's `down` and `up` manage the containers it created.

#include <doctest/doctest.h>

#include "tests/integration/integration_support.hpp"

namespace stack::test {
namespace {

// No top-level `name:` (v1 rejects it); v1 reads compose.yaml.
const char* kPair = R"(
services:
  web:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
  worker:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    depends_on: [web]
)";

void requireComposeV1() {
  if (runCommand({"docker-compose", "version"}).exit_code != 0) {
    FAIL("docker-compose v1 is not installed; run scripts/setup.sh --test-tools");
  }
}

CommandResult composeV1(const TestProject& project, const std::vector<std::string>& args) {
  std::vector<std::string> argv{"docker-compose", "--ansi", "never", "-p", project.name()};
  argv.insert(argv.end(), args.begin(), args.end());
  return runCommand(argv, {.cwd = project.dir()});
}

}  // namespace

TEST_CASE("docker-compose v1 sees the containers stack created with their state") {
  requireEngine();
  requireComposeV1();
  TestProject project(kPair, "v1");
  REQUIRE(project.stack({"up", "-d"}).exit_code == 0);
  auto ps = composeV1(project, {"ps"});
  REQUIRE_MESSAGE(ps.exit_code == 0, ps.err);
  for (const auto& name : {project.name() + "-web-1", project.name() + "-worker-1"}) {
    bool listed_up = false;
    for (const auto& line : lines(ps.out))
      listed_up |= contains(line, name) && contains(line, "Up");
    CHECK_MESSAGE(listed_up, ps.out);
  }
  auto services = composeV1(project, {"ps", "--services"});
  CHECK(lines(services.out) == std::vector<std::string>{"web", "worker"});
}

TEST_CASE("stack down removes the containers and network docker-compose v1 created") {
  requireEngine();
  requireComposeV1();
  TestProject project(kPair, "v1");
  auto v1_up = composeV1(project, {"up", "-d"});
  REQUIRE_MESSAGE(v1_up.exit_code == 0, v1_up.err);
  REQUIRE(project.containerNames() ==
          std::vector<std::string>{project.name() + "_web_1", project.name() + "_worker_1"});

  auto ps = project.stack({"ps"});
  CHECK(contains(ps.out, project.name() + "_web_1"));
  auto down = project.stack({"down", "-t", "1"});
  REQUIRE_MESSAGE(down.exit_code == 0, down.err);
  CHECK(project.containerIds().empty());
  CHECK(inspect(project.name() + "_default", "network").is_null());
}

TEST_CASE("stack up takes over docker-compose v1's containers without duplicates") {
  requireEngine();
  requireComposeV1();
  TestProject project(kPair, "v1");
  REQUIRE(composeV1(project, {"up", "-d"}).exit_code == 0);
  auto up = project.stack({"up", "-d"});
  REQUIRE_MESSAGE(up.exit_code == 0, up.err);
  CHECK(project.containerNames() ==
        std::vector<std::string>{project.name() + "-web-1", project.name() + "-worker-1"});
  auto again = project.stack({"up", "-d"});
  REQUIRE(again.exit_code == 0);
  CHECK_FALSE(contains(again.err, "Container"));
}

}  // namespace stack::test
