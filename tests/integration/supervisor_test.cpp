// The readiness supervisor and attached `up` against dockerd: depends_on conditions,
// start order against readiness, --wait, Ctrl-C, --exit-code-from, and logs.

#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

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

// A database that becomes ready one second after it starts. The engine would only find
// out after its 30 s interval; stack's own probe finds out within 200 ms.
const char* kGatedProject = R"(
services:
  db:
    image: stack-test/busybox:latest
    command: ["sh", "-c", "sleep 1; touch /ready; exec sleep 3600"]
    healthcheck:
      test: ["CMD", "test", "-f", "/ready"]
      interval: 30s
  migrate:
    image: stack-test/busybox:latest
    command: ["sh", "-c", "test -f /proc/1/cmdline; sleep 0.5; exit ${MIGRATE_EXIT:-0}"]
    depends_on:
      db: {condition: service_healthy}
  web:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    depends_on:
      db: {condition: service_healthy}
      migrate: {condition: service_completed_successfully}
)";

}  // namespace

TEST_CASE(
    "depends_on conditions gate starts in readiness order, before the engine's own interval") {
  requireEngine();
  TestProject project(kGatedProject);
  auto up = project.stack({"up", "-d"});
  REQUIRE_MESSAGE(up.exit_code == 0, up.err);
  const std::string db = project.name() + "-db-1";
  const std::string migrate = project.name() + "-migrate-1";
  const std::string web = project.name() + "-web-1";
  // docker's timestamps are RFC 3339 with nanoseconds, so they compare as strings.
  const std::string db_started = inspect(project, db, "{{.State.StartedAt}}");
  const std::string migrate_started = inspect(project, migrate, "{{.State.StartedAt}}");
  const std::string migrate_finished = inspect(project, migrate, "{{.State.FinishedAt}}");
  const std::string web_started = inspect(project, web, "{{.State.StartedAt}}");
  CHECK(migrate_started > db_started);
  CHECK(web_started > migrate_finished);
  CHECK(inspect(project, migrate, "{{.State.ExitCode}}") == "0");
  CHECK(inspect(project, web, "{{.State.Status}}") == "running");
  // Gated by stack's probe: the engine's first check (after 30 s) has not run yet.
  CHECK(inspect(project, db, "{{.State.Health.Status}}") == "starting");
}

TEST_CASE(
    "a failing one-shot dependency fails up, names the service, and its dependent never starts") {
  requireEngine();
  TestProject project(kGatedProject);
  auto up = project.stack({"up", "-d"}, {.env = {{"MIGRATE_EXIT", "3"}}});
  CHECK(up.exit_code != 0);
  CHECK(contains(up.err, "migrate"));
  CHECK(contains(up.err, "exit 3"));
  CHECK(inspect(project, project.name() + "-web-1", "{{.State.Status}}") == "created");
}

TEST_CASE("up --wait exits 0 once services are healthy and one-shot jobs have completed") {
  requireEngine();
  TestProject project(kGatedProject);
  auto up = project.stack({"up", "--wait"});
  REQUIRE_MESSAGE(up.exit_code == 0, up.err);
  CHECK(inspect(project, project.name() + "-web-1", "{{.State.Status}}") == "running");
  CHECK(inspect(project, project.name() + "-migrate-1", "{{.State.ExitCode}}") == "0");
}

TEST_CASE(
    "up --wait fails at its deadline on a service not yet healthy, with its health output and "
    "logs") {
  requireEngine();
  // The engine's interval (30 s) is longer than the deadline: only stack's probes run.
  TestProject project(R"(
services:
  broken:
    image: stack-test/busybox:latest
    command: ["sh", "-c", "echo starting the broken service; exec sleep 3600"]
    healthcheck:
      test: ["CMD-SHELL", "echo not ready yet; exit 1"]
      interval: 30s
)");
  auto up = project.stack({"up", "--wait", "--wait-timeout", "4"});
  CHECK(up.exit_code == 1);
  CHECK(contains(up.err, "service \"broken\" did not become healthy within 4 s"));
  CHECK(contains(up.err, "not ready yet"));                // the last probe output
  CHECK(contains(up.err, "starting the broken service"));  // the last log lines
}

// flaky exits 1 on its first run and stays up from its second on (its writable layer
// survives a restart); only deploy.restart_policy says whether the engine restarts it.
const char* kFlakyProject = R"(
services:
  flaky:
    image: stack-test/busybox:latest
    command: ["sh", "-c", "if [ -f /ran ]; then touch /up; exec sleep 3600; fi; touch /ran; exit 1"]
    healthcheck:
      test: ["CMD", "test", "-f", "/up"]
      interval: 30s
    deploy:
      restart_policy:
        condition: ${FLAKY_CONDITION}
  web:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    depends_on:
      flaky: {condition: service_healthy}
)";

TEST_CASE("deploy.restart_policy condition any: up --wait waits through the first exit") {
  requireEngine();
  TestProject project(kFlakyProject);
  auto up = project.stack({"up", "--wait"}, {.env = {{"FLAKY_CONDITION", "any"}}});
  REQUIRE_MESSAGE(up.exit_code == 0, up.err);
  const std::string flaky = project.name() + "-flaky-1";
  CHECK(inspect(project, flaky, "{{.HostConfig.RestartPolicy.Name}}") == "always");
  CHECK(inspect(project, flaky, "{{.RestartCount}}") != "0");
  CHECK(inspect(project, project.name() + "-web-1", "{{.State.Status}}") == "running");
}

TEST_CASE("deploy.restart_policy condition none: up --wait fails on the first exit") {
  requireEngine();
  TestProject project(kFlakyProject);
  auto up = project.stack({"up", "--wait"}, {.env = {{"FLAKY_CONDITION", "none"}}});
  CHECK(up.exit_code != 0);
  CHECK(contains(up.err, "flaky"));
  CHECK(contains(up.err, "exited with code 1"));
  CHECK(inspect(project, project.name() + "-web-1", "{{.State.Status}}") == "created");
}

TEST_CASE("attached up: prefixed output, and --exit-code-from returns that service's code") {
  requireEngine();
  TestProject project(R"(
services:
  worker:
    image: stack-test/busybox:latest
    command: ["sh", "-c", "echo working; sleep 0.5; exit 5"]
  sidecar:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
)");
  auto up = project.stack({"up", "--no-color", "--exit-code-from", "worker"});
  CHECK(up.exit_code == 5);
  CHECK(contains(up.out, "worker-1  | working"));
  CHECK(contains(up.out, "worker-1 exited with code 5"));
  // The abort stopped the rest of the project.
  CHECK(inspect(project, project.name() + "-sidecar-1", "{{.State.Status}}") == "exited");
}

TEST_CASE("SIGINT to an attached up stops everything gracefully and exits 130") {
  requireEngine();
  TestProject project(R"(
services:
  web:
    image: stack-test/busybox:latest
    command: ["sh", "-c", "trap 'echo stopping cleanly; exit 0' TERM; echo serving; while true; do sleep 0.1; done"]
)");
  // Started by hand so the test can signal it while it runs.
  int out_pipe[2];
  REQUIRE(::pipe(out_pipe) == 0);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out_pipe[1], 1);
    ::close(out_pipe[0]);
    ::setenv("COMPOSE_PROGRESS", "quiet", 1);
    if (::chdir(project.dir().c_str()) != 0) ::_exit(126);
    const std::string binary = stackBinary();
    ::execl(binary.c_str(), binary.c_str(), "-p", project.name().c_str(), "up", "--no-color",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  std::string output;
  char buffer[4096];
  // Wait (bounded) until the service printed its first line: it is attached and running.
  for (int i = 0; i < 200 && !contains(output, "serving"); ++i) {
    ssize_t n = ::read(out_pipe[0], buffer, sizeof(buffer));
    if (n <= 0) break;
    output.append(buffer, static_cast<size_t>(n));
  }
  REQUIRE(contains(output, "serving"));
  ::kill(pid, SIGINT);
  ssize_t n;
  while ((n = ::read(out_pipe[0], buffer, sizeof(buffer))) > 0)
    output.append(buffer, static_cast<size_t>(n));
  ::close(out_pipe[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  CHECK(contains(output, "web-1  | stopping cleanly"));  // output flows while it stops
  CHECK(inspect(project, project.name() + "-web-1", "{{.State.Status}}") == "exited");
}

TEST_CASE("logs prints each container's output with its prefix, and works without the file") {
  requireEngine();
  TestProject project(R"(
services:
  talker:
    image: stack-test/busybox:latest
    command: ["sh", "-c", "echo line one; echo line two >&2; exec sleep 3600"]
)");
  REQUIRE(project.stack({"up", "-d"}).exit_code == 0);
  CommandResult logs;
  for (int attempt = 0; attempt < 50; ++attempt) {
    logs = project.stack({"logs", "--no-color"}, {.cwd = "/"});
    if (contains(logs.out, "line two")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(logs.exit_code == 0);
  CHECK(contains(logs.out, "talker-1  | line one"));
  CHECK(contains(logs.out, "talker-1  | line two"));
  auto bare = project.stack({"logs", "--no-log-prefix", "talker"});
  CHECK(contains(bare.out, "line one\n"));
  CHECK_FALSE(contains(bare.out, "|"));
}

}  // namespace stack::test
