// stack killed with SIGKILL in the middle of `up` (fresh, recreating, scaling), then run
// again: the project converges with exactly one container per replica, all running, and
// no leftover temporary containers or duplicate networks.

#include <doctest/doctest.h>

#include <map>

#include "tests/integration/integration_support.hpp"

namespace stack::test {
namespace {

// Five services in a chain and a fan-out, two networks, a volume and two replicas, so an
// up has many steps to be interrupted between.
const char* kChain = R"(
services:
  a:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    environment: {GEN: "1"}
    volumes: [data:/data, /scratch]
    networks: [default, back]
  b:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    environment: {GEN: "1"}
    depends_on: [a]
    networks: [default, back]
  c:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    environment: {GEN: "1"}
    depends_on: [b]
    scale: 2
  d:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    environment: {GEN: "1"}
    depends_on: [a]
  e:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    environment: {GEN: "1"}
networks:
  back: {}
volumes:
  data: {}
)";

const std::vector<std::string> kReplicas = {"a-1", "b-1", "c-1", "c-2", "d-1", "e-1"};

std::string generation(int number) {
  std::string yaml = kChain;
  const std::string from = "GEN: \"1\"";
  const std::string to = "GEN: \"" + std::to_string(number) + "\"";
  for (size_t at = yaml.find(from); at != std::string::npos; at = yaml.find(from, at + 1)) {
    yaml.replace(at, from.size(), to);
  }
  return yaml;
}

// After convergence: one container per replica with the final name, all running with the
// current configuration hash, and one network of each name.
void checkConverged(const TestProject& project) {
  auto listed = project.docker({"ps", "-a", "--format", "{{.Names}} {{.State}}", "--filter",
                                "label=com.docker.compose.project=" + project.name()});
  std::map<std::string, std::string> states;
  for (const auto& line : lines(listed.out)) {
    const size_t space = line.find(' ');
    states[line.substr(0, space)] = line.substr(space + 1);
  }
  std::map<std::string, std::string> expected;
  for (const auto& replica : kReplicas) expected[project.name() + "-" + replica] = "running";
  CHECK(states == expected);
  for (const auto& network : {"_default", "_back"}) {
    auto ids = project.docker(
        {"network", "ls", "-q", "--filter", "name=^" + project.name() + network + "$"});
    CHECK_MESSAGE(lines(ids.out).size() == 1, "network " << project.name() << network);
  }
}

// Returns whether stack was still running at the kill point.
bool killThenConverge(const TestProject& project, const std::vector<std::string>& args,
                      const KillPoint& point) {
  CAPTURE(point.pattern);
  CAPTURE(point.occurrence);
  CAPTURE(point.delay.count());
  const KilledRun run = runAndKill(project, args, point);
  CAPTURE(run.err);
  auto again = project.stack({"up", "-d"});
  REQUIRE_MESSAGE(again.exit_code == 0, again.err);
  checkConverged(project);
  // And the next up is a no-op: nothing was left half-done.
  auto noop = project.stack({"up", "-d"});
  REQUIRE(noop.exit_code == 0);
  CHECK_MESSAGE(!contains(noop.err, "Container"), noop.err);
  return run.killed;
}

const std::vector<KillPoint> kFreshKillPoints = {
    {"", 1, std::chrono::milliseconds(0)},         {"Network", 1, std::chrono::milliseconds(0)},
    {"Creating", 1, std::chrono::milliseconds(0)}, {"Created", 1, std::chrono::milliseconds(0)},
    {"Created", 4, std::chrono::milliseconds(0)},  {"Starting", 1, std::chrono::milliseconds(0)},
    {"Started", 2, std::chrono::milliseconds(0)},  {"Started", 5, std::chrono::milliseconds(0)},
    {"", 1, std::chrono::milliseconds(150)},       {"", 1, std::chrono::milliseconds(400)},
};

const std::vector<KillPoint> kRecreateKillPoints = {
    {"Creating", 1, std::chrono::milliseconds(0)}, {"Created", 1, std::chrono::milliseconds(0)},
    {"Stopping", 1, std::chrono::milliseconds(0)}, {"Stopped", 1, std::chrono::milliseconds(0)},
    {"Removed", 1, std::chrono::milliseconds(0)},  {"Renamed", 1, std::chrono::milliseconds(0)},
    {"Renamed", 3, std::chrono::milliseconds(0)},  {"Started", 3, std::chrono::milliseconds(0)},
};

}  // namespace

TEST_CASE("an up killed with SIGKILL converges when re-run: fresh project") {
  requireEngine();
  TestProject project(kChain, "kill");
  size_t killed = 0;
  for (const auto& point : kFreshKillPoints) {
    auto down = project.stack({"down", "-t", "0"});
    REQUIRE_MESSAGE(down.exit_code == 0, down.err);
    killed += killThenConverge(project, {"up", "-d"}, point);
  }
  // The late kill points may come after stack has finished; the others must interrupt.
  CHECK(killed + 2 >= kFreshKillPoints.size());
}

TEST_CASE("an up killed with SIGKILL converges when re-run: recreating every service") {
  requireEngine();
  TestProject project(kChain, "kill");
  REQUIRE(project.stack({"up", "-d"}).exit_code == 0);
  REQUIRE(project.docker({"exec", project.name() + "-a-1", "sh", "-c", "echo kept > /scratch/f"})
              .exit_code == 0);
  int number = 2;
  size_t killed = 0;
  for (const auto& point : kRecreateKillPoints) {
    // A new configuration each time, so every service is recreated.
    project.writeFile("compose.yaml", generation(number));
    killed += killThenConverge(project, {"up", "-d"}, point);
    // Every replica runs the newest configuration.
    for (const auto& replica : kReplicas) {
      auto env = project.docker(
          {"inspect", "--format", "{{json .Config.Env}}", project.name() + "-" + replica});
      CHECK_MESSAGE(contains(env.out, "GEN=" + std::to_string(number)), replica);
    }
    ++number;
  }
  CHECK(killed + 2 >= kRecreateKillPoints.size());
  // The anonymous volume survived every interrupted recreate.
  CHECK(project.docker({"exec", project.name() + "-a-1", "cat", "/scratch/f"}).out == "kept\n");
}

TEST_CASE("an up killed with SIGKILL converges when re-run: scaling up") {
  requireEngine();
  TestProject project(kChain, "kill");
  REQUIRE(project.stack({"up", "-d"}).exit_code == 0);
  const KilledRun run = runAndKill(project, {"up", "-d", "--scale", "e=4"},
                                   {"Created", 2, std::chrono::milliseconds(0)});
  CAPTURE(run.err);
  auto again = project.stack({"up", "-d", "--scale", "e=4"});
  REQUIRE_MESSAGE(again.exit_code == 0, again.err);
  std::vector<std::string> names;
  for (const auto& replica : kReplicas) names.push_back(project.name() + "-" + replica);
  for (int i = 2; i <= 4; ++i) names.push_back(project.name() + "-e-" + std::to_string(i));
  std::sort(names.begin(), names.end());
  CHECK(project.containerNames() == names);
}

}  // namespace stack::test
