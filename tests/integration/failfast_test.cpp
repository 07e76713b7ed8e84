// Waits that end as soon as the engine says a service failed: a container the engine
// reports unhealthy, and an exit its restart policy gave up on. Each has its twin where
// the same service recovers and the wait succeeds.

#include <doctest/doctest.h>

#include "tests/support/test_project.hpp"

namespace stack::test {
namespace {

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

std::string inspect(TestProject& project, const std::string& container, const std::string& format) {
  auto result = project.docker({"inspect", "--format", format, container});
  auto values = lines(result.out);
  return values.empty() ? "" : values.front();
}

// The engine finds db unhealthy after two failed checks, about 2 s after it starts. The
// derived deadline of this healthcheck is over a minute, so a wait that ends with
// "unhealthy" ended on the engine's report, not on the deadline.
const char* kNeverHealthy = R"(
services:
  db:
    image: stack-test/busybox:latest
    command: ["sh", "-c", "echo db log line; exec sleep 3600"]
    healthcheck:
      test: ["CMD-SHELL", "echo db-probe-says-no; exit 1"]
      interval: 1s
      timeout: 30s
      retries: 2
  api:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    depends_on:
      db: {condition: service_healthy}
)";

}  // namespace

TEST_CASE("up --wait fails as soon as the engine reports a service unhealthy") {
  requireEngine();
  TestProject project(kNeverHealthy);
  auto up = project.stack({"up", "-d", "--wait", "db"});
  CHECK(up.exit_code == 1);
  CHECK_MESSAGE(contains(up.err, "container " + project.name() + "-db-1 is unhealthy"), up.err);
  CHECK(contains(up.err, "db-probe-says-no"));  // the last probe output
  CHECK(contains(up.err, "db log line"));       // the last log lines
  CHECK_FALSE(contains(up.err, "did not become healthy within"));
}

TEST_CASE(
    "a service_healthy dependency that turns unhealthy fails up -d, and down is not blocked") {
  requireEngine();
  TestProject project(kNeverHealthy);
  auto up = project.stack({"up", "-d"});
  CHECK(up.exit_code == 1);
  CHECK_MESSAGE(contains(up.err, "is unhealthy"), up.err);
  CHECK(contains(up.err, "db-probe-says-no"));
  // The dependent never started.
  CHECK(inspect(project, project.name() + "-api-1", "{{.State.Status}}") != "running");
  auto down = project.stack({"down", "-t", "1"}, {.timeout = std::chrono::seconds(60)});
  CHECK_MESSAGE(down.exit_code == 0, down.err);
}

TEST_CASE("a wait that lasts says why in its progress: the failed probes and their output") {
  requireEngine();
  TestProject project(R"(
services:
  db:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    healthcheck:
      test: ["CMD-SHELL", "echo still-warming-up; exit 1"]
      interval: 30s
)");
  auto up = project.stack({"up", "-d", "--wait", "--wait-timeout", "6", "--progress", "json"});
  CHECK(up.exit_code == 1);
  bool explained = false;
  for (const auto& line : lines(up.out + "\n" + up.err)) {
    explained |= contains(line, "\"status\":\"Waiting\"") && contains(line, "failed probes") &&
                 contains(line, "still-warming-up");
  }
  const std::string output = up.out + up.err;
  CHECK_MESSAGE(explained, output);
}

TEST_CASE(
    "an exit the restart policy gave up on fails its dependent without waiting for the deadline") {
  requireEngine();
  TestProject project(R"(
services:
  migrate:
    image: stack-test/busybox:latest
    command: ["sh", "-c", "echo giving up; exit 3"]
    restart: on-failure:2
  app:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    depends_on:
      migrate: {condition: service_completed_successfully}
)");
  auto up = project.stack({"up", "-d", "--wait-timeout", "120"});
  CHECK(up.exit_code == 1);
  CHECK_MESSAGE(contains(up.err, "exit 3 and the engine did not restart it"), up.err);
  CHECK(inspect(project, project.name() + "-migrate-1", "{{.RestartCount}}") == "2");
  CHECK(inspect(project, project.name() + "-app-1", "{{.State.Status}}") != "running");
}

TEST_CASE("a service its restart policy brings back is waited for, and up --wait succeeds") {
  requireEngine();
  // Fails once, then runs: the anonymous volume keeps the marker across the restart.
  TestProject project(R"(
services:
  flaky:
    image: stack-test/busybox:latest
    command: ["sh", "-c", "test -f /state/failed-once && exec sleep 3600; touch /state/failed-once; exit 3"]
    restart: on-failure:3
    volumes: ["/state"]
    healthcheck:
      test: ["CMD", "test", "-f", "/state/failed-once"]
      interval: 30s
)");
  auto up = project.stack({"up", "-d", "--wait", "--wait-timeout", "60"});
  CHECK_MESSAGE(up.exit_code == 0, up.err);
  CHECK(inspect(project, project.name() + "-flaky-1", "{{.RestartCount}}") == "1");
  CHECK(inspect(project, project.name() + "-flaky-1", "{{.State.Status}}") == "running");
}

}  // namespace stack::test
