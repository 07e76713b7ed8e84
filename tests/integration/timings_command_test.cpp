// `stack up --timings`, `stack timings` and `stack graph --timings` through the real binary
// against dockerd. Each test keeps its records under its own XDG_STATE_HOME.

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/support/test_project.hpp"

namespace stack::test {
namespace {

// db becomes healthy a second after it starts; web waits for that, front for web.
const char* kChain = R"(
services:
  db:
    image: stack-test/busybox:latest
    command: ["sh", "-c", "sleep 1; touch /ok; sleep 3600"]
    healthcheck: {test: ["CMD", "test", "-f", "/ok"], interval: 30s}
    stop_grace_period: 1s
  web:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    stop_grace_period: 1s
    depends_on:
      db: {condition: service_healthy}
  front:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    stop_grace_period: 1s
    depends_on: [web]
)";

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

CommandOptions withState(const TestProject& project) {
  CommandOptions options;
  options.env["XDG_STATE_HOME"] = project.dir() + "/state";
  return options;
}

}  // namespace

TEST_CASE("up --timings prints the critical chain, stack timings and graph --timings show it") {
  TestProject project(kChain, "timings");
  requireEngine();
  auto up = project.stack({"up", "-d", "--timings"}, withState(project));
  REQUIRE_MESSAGE(up.exit_code == 0, up.err);
  CHECK(contains(up.out, "critical chain of the last up of project \"" + project.name() + "\""));
  CHECK(contains(up.out, "db healthy"));
  CHECK(contains(up.out, "waited for db healthy"));
  CHECK(contains(up.out, "front started"));

  auto json = project.stack({"timings", "--format", "json"}, withState(project));
  REQUIRE_MESSAGE(json.exit_code == 0, json.err);
  const auto report = nlohmann::json::parse(json.out);
  CHECK(report["succeeded"] == true);
  std::vector<std::string> steps;
  int64_t sum = 0;
  for (const auto& link : report["chain"]) {
    steps.push_back(link["service"].get<std::string>() + ":" + link["step"].get<std::string>());
    sum += link["took_ms"].get<int64_t>();
  }
  CHECK(steps == std::vector<std::string>{":prepared", "db:created", "db:started", "db:healthy",
                                          "web:started", "front:started"});
  CHECK(sum == report["chain_ms"].get<int64_t>());
  CHECK(report["chain_ms"].get<int64_t>() <= report["wall_ms"].get<int64_t>());

  auto graph = project.stack({"graph", "--timings"}, withState(project));
  REQUIRE_MESSAGE(graph.exit_code == 0, graph.err);
  CHECK(contains(graph.out, "\"db\" -> \"web\" [label=\"healthy\", color=red"));
  CHECK(contains(graph.out, "ready at "));
}

TEST_CASE("timings without a recorded up, and of a failed up, say so") {
  TestProject project(kChain, "timings");
  requireEngine();
  auto none = project.stack({"timings"}, withState(project));
  CHECK(none.exit_code != 0);
  CHECK(contains(none.err, "no recorded up for project \"" + project.name() + "\""));
  CHECK(contains(none.err, "run `stack up` first"));
  auto graph = project.stack({"graph", "--timings"}, withState(project));
  CHECK(graph.exit_code != 0);
  CHECK(contains(graph.err, "no recorded up"));

  project.writeFile("compose.yaml", R"(
services:
  web:
    image: stack-test/no-such-image:never
    pull_policy: never
)");
  auto failed = project.stack({"up", "-d"}, withState(project));
  CHECK(failed.exit_code != 0);
  auto after = project.stack({"timings"}, withState(project));
  REQUIRE_MESSAGE(after.exit_code == 0, after.err);
  CHECK(contains(after.out, "and failed"));
  CHECK(contains(after.out, "no container was started"));
}

}  // namespace stack::test
