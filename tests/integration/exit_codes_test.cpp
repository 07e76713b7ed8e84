// docs/EXIT_CODES.md, the rows that need dockerd, command by command through the real
// binary: a failed build or pull and an unknown service exit 1 (not 17, 18, 16), a
// container's code passes through run, exec, wait and up --abort-on-container-exit /
// --exit-code-from, and Ctrl-C exits 130. Each row has its success twin.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/support/test_project.hpp"

namespace stack::test {
namespace {

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

CommandResult stackIn(const TestProject& project, const std::vector<std::string>& args) {
  CommandOptions options;
  options.env = {{"XDG_CACHE_HOME", project.dir() + "/.cache"}, {"COMPOSE_PROGRESS", "plain"}};
  return project.stack(args, options);
}

const char* kServices = R"(
services:
  web:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    stop_grace_period: 1s
  quits:
    image: stack-test/busybox:latest
    command: ["sh", "-c", "exit 7"]
    profiles: [quits]
  fine:
    image: stack-test/busybox:latest
    command: ["true"]
    profiles: [fine]
)";

}  // namespace

TEST_CASE("exit codes: a failed build exits 1, a good one 0") {
  requireEngine();
  TestProject project("services:\n  app:\n    build: ./app\n", "exit");
  project.writeFile("app/Dockerfile", "FROM stack-test/busybox:latest\nRUN exit 3\n");
  auto failed = stackIn(project, {"build"});
  CHECK_MESSAGE(failed.exit_code == 1, failed.err);
  CHECK(contains(failed.err, "service \"app\""));
  project.writeFile("app/Dockerfile", "FROM stack-test/busybox:latest\nRUN true\n");
  auto built = stackIn(project, {"build"});
  CHECK_MESSAGE(built.exit_code == 0, built.err);
}

TEST_CASE("exit codes: a failed pull exits 1, an up with the image present 0") {
  requireEngine();
  // Port 1 of loopback: nothing listens, the pull fails at once.
  TestProject project(R"(
services:
  far:
    image: 127.0.0.1:1/team/app:1
  near:
    image: stack-test/busybox:latest
    pull_policy: missing
)",
                      "exit");
  auto far = stackIn(project, {"pull", "far"});
  CHECK_MESSAGE(far.exit_code == 1, far.err);
  CHECK(contains(far.err, "service \"far\""));
  auto up = stackIn(project, {"up", "-d", "far"});
  CHECK_MESSAGE(up.exit_code == 1, up.err);
  auto near = stackIn(project, {"up", "-d", "near"});
  CHECK_MESSAGE(near.exit_code == 0, near.err);
}

TEST_CASE("exit codes: up, run and exec of an unknown service exit 1") {
  requireEngine();
  TestProject project(kServices, "exit");
  for (const auto& args : std::vector<std::vector<std::string>>{{"up", "-d", "nosuch"},
                                                                {"run", "--rm", "-T", "nosuch"},
                                                                {"exec", "-T", "nosuch", "true"}}) {
    auto result = stackIn(project, args);
    CHECK_MESSAGE(result.exit_code == 1, args[0] << ": " << result.err);
    CHECK_MESSAGE(contains(result.err, "nosuch"), args[0] << ": " << result.err);
  }
  CHECK(project.containerIds().empty());
  auto up = stackIn(project, {"up", "-d", "web"});
  CHECK_MESSAGE(up.exit_code == 0, up.err);
}

TEST_CASE("exit codes: run, exec and wait pass the container's code through") {
  requireEngine();
  TestProject project(kServices, "exit");
  auto run = stackIn(project, {"run", "--rm", "-T", "web", "sh", "-c", "exit 7"});
  CHECK_MESSAGE(run.exit_code == 7, run.err);
  auto run_ok = stackIn(project, {"run", "--rm", "-T", "web", "true"});
  CHECK_MESSAGE(run_ok.exit_code == 0, run_ok.err);

  REQUIRE(stackIn(project, {"up", "-d", "web"}).exit_code == 0);
  auto exec = stackIn(project, {"exec", "-T", "web", "sh", "-c", "exit 9"});
  CHECK_MESSAGE(exec.exit_code == 9, exec.err);
  auto exec_ok = stackIn(project, {"exec", "-T", "web", "true"});
  CHECK_MESSAGE(exec_ok.exit_code == 0, exec_ok.err);

  REQUIRE(stackIn(project, {"--profile", "quits", "up", "-d", "quits"}).exit_code == 0);
  auto wait = stackIn(project, {"--profile", "quits", "wait", "quits"});
  CHECK_MESSAGE(wait.exit_code == 7, wait.err);
}

TEST_CASE("exit codes: up --abort-on-container-exit and --exit-code-from pass the code through") {
  requireEngine();
  TestProject project(kServices, "exit");
  auto aborted =
      stackIn(project, {"--profile", "quits", "up", "--abort-on-container-exit", "-t", "1"});
  CHECK_MESSAGE(aborted.exit_code == 7, aborted.err);
  auto from =
      stackIn(project, {"--profile", "quits", "up", "--exit-code-from", "quits", "-t", "1"});
  CHECK_MESSAGE(from.exit_code == 7, from.err);
  auto from_fine =
      stackIn(project, {"--profile", "fine", "up", "--exit-code-from", "fine", "-t", "1"});
  CHECK_MESSAGE(from_fine.exit_code == 0, from_fine.err);
  auto unknown = stackIn(project, {"up", "--exit-code-from", "nosuch"});
  CHECK_MESSAGE(unknown.exit_code == 1, unknown.err);
}

TEST_CASE("exit codes: Ctrl-C during an attached up exits 130") {
  requireEngine();
  TestProject project(kServices, "exit");
  const std::string ready =
      "docker ps -q --filter label=com.docker.compose.project=" + project.name() + " | grep -q .";
  auto result = runShell("cd '" + project.dir() + "' || exit 1; COMPOSE_PROGRESS=plain " +
                         stackBinary() + " -p " + project.name() + " up -t 1 web </dev/null " +
                         ">/dev/null 2>&1 & pid=$!; for i in $(seq 300); do " + ready +
                         " && break; sleep 0.1; done; kill -INT $pid; wait $pid; echo rc=$?");
  CHECK_MESSAGE(contains(result.out, "rc=130"), result.out << result.err);
}

}  // namespace stack::test
