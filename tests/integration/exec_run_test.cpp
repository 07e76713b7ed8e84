// `stack exec`, `stack run` and `stack wait` against dockerd: exit codes, stdin, the
// exec and run overrides, one-off naming and labels, dependencies, TTYs (through
// script(1), which gives stack a pseudo-terminal), interrupts and clean-up. The docker
// CLI observes.

#include <doctest/doctest.h>

#include <fstream>
#include <regex>

#include "tests/support/test_project.hpp"

namespace stack::test {
namespace {

const char* kServices = R"(
services:
  web:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    tmpfs: ["/tmp"]  # the test image is FROM scratch: no /tmp of its own
    stop_grace_period: 1s
  job:
    image: stack-test/busybox:latest
    command: ["echo", "default command"]
    ports: ["80"]
    stop_grace_period: 1s
    restart: always
)";

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

std::string quote(const std::string& word) {
  return "'" + word + "'";
}

// `stack -p <project> <args>` inside script(1): stdin and stdout are a pseudo-terminal.
// `setup` runs first in that terminal (e.g. `stty rows 30 cols 100`).
CommandResult inTerminal(const TestProject& project, const std::string& args,
                         const std::string& setup = "true") {
  const std::string inner = setup + "; COMPOSE_PROGRESS=plain " + stackBinary() + " -p " +
                            project.name() + " " + args + "; echo \"rc=$?\"; stty -a";
  // The commands go through a file: `args` has quotes of its own.
  const std::string file = project.dir() + "/in-terminal.sh";
  std::ofstream(file) << inner << "\n";
  return runShell("cd " + quote(project.dir()) + " && script -qec 'sh ./in-terminal.sh' /dev/null");
}

// Names of the project's one-off containers, running or not.
std::vector<std::string> oneOffs(const TestProject& project) {
  return lines(project
                   .docker({"ps", "-a", "--format", "{{.Names}}", "--filter",
                            "label=com.docker.compose.project=" + project.name(), "--filter",
                            "label=com.docker.compose.oneoff=True"})
                   .out);
}

// Starts `stack <args>` in the background, sends `signal` once `ready` (a shell condition)
// holds, and reports "rc=N" of stack.
CommandResult interrupted(const TestProject& project, const std::string& args,
                          const std::string& ready, const std::string& signal = "INT") {
  // A simple command in the background, so that $! is stack itself.
  const std::string script =
      "cd " + quote(project.dir()) + " || exit 1; COMPOSE_PROGRESS=plain " + stackBinary() +
      " -p " + project.name() + " " + args + " </dev/null & pid=$!; for i in $(seq 300); do " +
      ready + " && break; sleep 0.1; done; kill -" + signal + " $pid; wait $pid; echo \"rc=$?\"";
  return runShell(script);
}

std::string runningOneOff(const TestProject& project) {
  return "docker ps -q --filter label=com.docker.compose.project=" + project.name() +
         " --filter label=com.docker.compose.oneoff=True | grep -q .";
}

}  // namespace

TEST_CASE("exec propagates the exit code, forwards stdin and applies -e, -u, -w, -d, --index") {
  requireEngine();
  TestProject project(kServices);
  REQUIRE(project.stack({"up", "-d", "--scale", "web=2", "web"}).exit_code == 0);

  CHECK(project.stack({"exec", "-T", "web", "sh", "-c", "exit 7"}).exit_code == 7);
  auto cat = project.stack({"exec", "-T", "web", "cat"}, {.stdin_data = "hello\nworld\n"});
  CHECK_MESSAGE(cat.exit_code == 0, cat.err);
  CHECK(cat.out == "hello\nworld\n");

  auto streams = project.stack({"exec", "-T", "web", "sh", "-c", "echo out; echo err >&2"});
  CHECK(streams.out == "out\n");
  CHECK(contains(streams.err, "err\n"));

  auto settings = project.stack({"exec", "-T", "-e", "FOO=bar", "-u", "1234", "-w", "/tmp", "web",
                                 "sh", "-c", "echo $FOO $(id -u) $(pwd)"});
  CHECK_MESSAGE(settings.exit_code == 0, settings.err);
  CHECK(settings.out == "bar 1234 /tmp\n");

  auto second = project.stack({"exec", "-T", "--index", "2", "web", "hostname"});
  auto hostname =
      project.docker({"inspect", "--format", "{{.Config.Hostname}}", project.name() + "-web-2"});
  CHECK(lines(second.out) == lines(hostname.out));

  CHECK(project.stack({"exec", "-d", "web", "touch", "/tmp/detached"}).exit_code == 0);
  CommandResult marker;
  for (int attempt = 0; attempt < 50; ++attempt) {
    marker = project.stack({"exec", "-T", "web", "test", "-f", "/tmp/detached"});
    if (marker.exit_code == 0) break;
    runShell("sleep 0.1");
  }
  CHECK(marker.exit_code == 0);

  auto stopped = project.stack({"exec", "-T", "job", "true"});
  CHECK(stopped.exit_code == 1);
  CHECK(contains(stopped.err, "service \"job\" is not running"));
  auto no_index = project.stack({"exec", "-T", "--index", "3", "web", "true"});
  CHECK(contains(no_index.err, "service \"web\" is not running container #3"));
}

TEST_CASE("exec and run allocate a TTY on a terminal, size it, and restore the terminal") {
  requireEngine();
  TestProject project(kServices);
  REQUIRE(project.stack({"up", "-d", "web"}).exit_code == 0);

  auto tty = inTerminal(project, "exec web sh -c 'tty; sleep 1; stty size; exit 3'",
                        "stty rows 30 cols 100");
  INFO("exec in a terminal printed: ", tty.out, tty.err);
  CHECK(contains(tty.out, "/dev/pts/"));
  CHECK(contains(tty.out, "30 100"));
  CHECK(contains(tty.out, "rc=3"));
  // After stack: the terminal is back in cooked mode with echo.
  CHECK(contains(tty.out, " icanon "));
  CHECK(contains(tty.out, " echo "));

  auto no_tty = inTerminal(project, "exec -T web tty");
  CHECK(contains(no_tty.out, "not a tty"));

  auto run = inTerminal(project, "run --rm job sh -c 'tty; exit 4'");
  INFO("run in a terminal printed: ", run.out, run.err);
  CHECK(contains(run.out, "/dev/pts/"));
  CHECK(contains(run.out, "rc=4"));
  CHECK(contains(run.out, " icanon "));
  CHECK(oneOffs(project).empty());
}

TEST_CASE("run returns the exit code, forwards stdin and leaves nothing behind with --rm") {
  requireEngine();
  TestProject project(kServices);
  auto failing =
      project.stack({"run", "--rm", "-T", "job", "sh", "-c", "echo out; echo err >&2; exit 3"});
  CHECK(failing.exit_code == 3);
  CHECK(lines(failing.out) == std::vector<std::string>{"out"});
  CHECK(contains(failing.err, "err"));
  auto cat = project.stack({"run", "--rm", "-T", "job", "cat"}, {.stdin_data = "one\ntwo\n"});
  CHECK_MESSAGE(cat.exit_code == 0, cat.err);
  CHECK(cat.out == "one\ntwo\n");
  CHECK(project.stack({"run", "--rm", "-T", "job"}).out == "default command\n");
  CHECK(oneOffs(project).empty());
  CHECK(project.containerIds().empty());

  // Without --rm the exited one-off container stays, as with docker compose.
  CHECK(project.stack({"run", "-T", "job", "true"}).exit_code == 0);
  CHECK(oneOffs(project).size() == 1);
}

TEST_CASE("run names and labels its one-off container as compose does, and -d prints its id") {
  requireEngine();
  TestProject project(kServices);
  auto detached = project.stack({"run", "-d", "job", "sleep", "300"});
  REQUIRE_MESSAGE(detached.exit_code == 0, detached.err);
  const auto id = lines(detached.out);
  REQUIRE(id.size() == 1);
  auto name = project.docker({"inspect", "--format", "{{.Name}}", id.front()});
  CHECK(std::regex_match(lines(name.out).front(),
                         std::regex("/" + project.name() + "-job-run-[0-9a-f]{12}")));
  const std::string container = id.front();
  CHECK(project.containerLabel(container, "com.docker.compose.oneoff") == "True");
  CHECK(std::regex_match(project.containerLabel(container, "com.docker.compose.slug"),
                         std::regex("[0-9a-f]{64}")));
  CHECK(project.containerLabel(container, "com.docker.compose.container-number").empty());
  CHECK(project.containerLabel(container, "com.docker.compose.service") == "job");
  CHECK(project.containerLabel(container, "com.docker.compose.config-hash").size() == 64);
  auto policy = project.docker({"inspect", "--format",
                                "{{.HostConfig.RestartPolicy.Name}} "
                                "{{json .HostConfig.PortBindings}}",
                                container});
  // No restart policy and no published ports: the engine reports them as "" or "no", and
  // as null or {}.
  const auto policy_line = lines(policy.out);
  REQUIRE(policy_line.size() == 1);
  CHECK(std::regex_match(policy_line.front(), std::regex("(no)? (null|\\{\\})")));

  // -P publishes the service's ports; --name and -l apply.
  auto named = project.stack({"run", "-d", "-P", "--name", project.name() + "-custom", "-l",
                              "purpose=test", "job", "sleep", "300"});
  REQUIRE_MESSAGE(named.exit_code == 0, named.err);
  auto ports = project.docker({"port", project.name() + "-custom", "80"});
  CHECK_FALSE(ports.out.empty());
  CHECK(project.containerLabel(project.name() + "-custom", "purpose") == "test");

  // Detached with --rm, the engine removes it when it exits.
  REQUIRE(project.stack({"run", "-d", "--rm", "--name", project.name() + "-gone", "job", "true"})
              .exit_code == 0);
  CommandResult left;
  for (int attempt = 0; attempt < 100; ++attempt) {
    left = project.docker({"ps", "-aq", "--filter", "name=" + project.name() + "-gone"});
    if (left.out.empty()) break;
    runShell("sleep 0.1");
  }
  CHECK(left.out.empty());
}

TEST_CASE("run applies --entrypoint, -e, -u, -w, -v and -p") {
  requireEngine();
  TestProject project(kServices);
  project.writeFile("data/file", "from the host\n");
  auto result = project.stack({"run", "--rm", "-T", "-e", "A=1", "-u", "1234", "-w", "/tmp", "-v",
                               "./data:/data:ro", "--entrypoint", "sh -c", "job",
                               "echo $A $(id -u) $(pwd) $(cat /data/file)"});
  CHECK_MESSAGE(result.exit_code == 0, result.err);
  CHECK(result.out == "1 1234 /tmp from the host\n");

  auto published = project.stack({"run", "-d", "-p", "127.0.0.1::8080", "--name",
                                  project.name() + "-pub", "job", "sleep", "300"});
  REQUIRE_MESSAGE(published.exit_code == 0, published.err);
  auto port = project.docker({"port", project.name() + "-pub", "8080"});
  CHECK(contains(port.out, "127.0.0.1:"));
  CHECK(project.docker({"port", project.name() + "-pub", "80"}).exit_code != 0);

  auto bad = project.stack({"run", "-P", "-p", "80:80", "job"});
  CHECK(bad.exit_code == 1);
  CHECK(contains(bad.err, "--service-ports and --publish are incompatible"));
}

TEST_CASE("run starts its dependencies first and waits until they are healthy") {
  requireEngine();
  TestProject project(R"(
services:
  db:
    image: stack-test/busybox:latest
    # Ready only once the server has been listening for a while.
    command: ["sh", "-c", "sleep 2; (sleep 0.5; echo ready > /tmp/ready) & exec httpd -f -p 80 -h /tmp"]
    tmpfs: ["/tmp"]
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ready"]
      interval: 1s
    stop_grace_period: 1s
  app:
    image: stack-test/busybox:latest
    depends_on:
      db: {condition: service_healthy}
  unrelated:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
)");
  auto result = project.stack({"run", "--rm", "-T", "app", "wget", "-qO-", "http://db/ready"});
  CHECK_MESSAGE(result.exit_code == 0, result.err);
  CHECK(result.out == "ready\n");
  CHECK(project.containerNames() == std::vector<std::string>{project.name() + "-db-1"});

  // --no-deps starts nothing else.
  REQUIRE(project.stack({"down", "-t", "1"}).exit_code == 0);
  auto alone = project.stack({"run", "--rm", "-T", "--no-deps", "app", "true"});
  CHECK_MESSAGE(alone.exit_code == 0, alone.err);
  CHECK(project.containerIds().empty());
}

TEST_CASE("Ctrl-C ends exec and run with 130 and run --rm still removes its container") {
  requireEngine();
  TestProject project(kServices);
  REQUIRE(project.stack({"up", "-d", "web"}).exit_code == 0);
  auto run = interrupted(project, "run --rm -T job sleep 300", runningOneOff(project));
  CHECK(contains(run.out, "rc=130"));
  CHECK(oneOffs(project).empty());

  auto term = interrupted(project, "run --rm -T job sleep 300", runningOneOff(project), "TERM");
  CHECK(contains(term.out, "rc=130"));
  CHECK(oneOffs(project).empty());

  const std::string exec_running = "docker top " + project.name() + "-web-1 | grep -q 'sleep 301'";
  auto exec = interrupted(project, "exec -T web sleep 301", exec_running);
  CHECK(contains(exec.out, "rc=130"));
}

TEST_CASE("wait returns the first exit code and --down-project takes the project down") {
  requireEngine();
  TestProject project(R"(
services:
  quick:
    image: stack-test/busybox:latest
    command: ["sh", "-c", "sleep 1; exit 5"]
  slow:
    image: stack-test/busybox:latest
    command: ["sh", "-c", "sleep 3; exit 0"]
  server:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    stop_grace_period: 1s
)");
  REQUIRE(project.stack({"up", "-d"}).exit_code == 0);
  auto both = project.stack({"wait", "quick", "slow"});
  CHECK(both.exit_code == 5);
  CHECK(lines(both.out) ==
        std::vector<std::string>{
            "container \"" + project.name() + "-quick-1\" exited with status code 5",
            "container \"" + project.name() + "-slow-1\" exited with status code 0"});

  REQUIRE(project.stack({"up", "-d"}).exit_code == 0);
  auto down = project.stack({"wait", "--down-project", "quick", "server"});
  CHECK(down.exit_code == 5);
  CHECK(project.containerIds().empty());

  auto none = project.stack({"wait", "quick"});
  CHECK(none.exit_code == 1);
  CHECK(contains(none.err, "no running containers"));
}

}  // namespace stack::test
