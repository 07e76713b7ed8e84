// x-stack-supervise under an attached `stack up`: db crashes (exit 3, restart: always);
// once it is healthy again, api (depends_on db {service_healthy, restart: true}) is
// restarted; web (no restart: true) is not. The twin: a db that never becomes healthy
// after its restart restarts nothing, and the reason is printed.

#include <doctest/doctest.h>

#include "tests/support/process.hpp"
#include "tests/support/test_project.hpp"

namespace stack::test {
namespace {

// db is healthy two seconds after its first start; `touch /run/crash` makes it exit 3.
// With ONCE, a restarted db never becomes healthy (its /once marker survives restarts).
std::string compose(bool healthy_again) {
  const std::string once = healthy_again ? "" : "if [ -e /once ]; then exec sleep 3600; fi; ";
  return R"(
x-stack-supervise: {ready_timeout: 8s}
services:
  db:
    image: stack-test/busybox:latest
    command: ["sh", "-c", ")" +
         once +
         R"(touch /once; sleep 2; touch /run/ok; while [ ! -e /run/crash ]; do sleep 0.2; done; exit 3"]
    tmpfs: [/run]
    restart: always
    healthcheck: {test: ["CMD", "test", "-f", "/run/ok"], interval: 30s}
    stop_signal: SIGKILL
  api:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    stop_signal: SIGKILL
    depends_on:
      db: {condition: service_healthy, restart: true}
  web:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    stop_signal: SIGKILL
    depends_on: [db]
)";
}

// Runs `stack up` attached in the background, crashes db once api runs, waits (bounded)
// for `until` in the output, then interrupts stack. Leaves up.log and the StartedAt of
// api and web before/after in the project directory.
CommandResult crashDbUnderUp(const TestProject& project, const std::string& until) {
  const std::string script = R"SH(
S="$1"; P="$2"; MARK="$3"
"$S" -p "$P" up > up.log 2>&1 &
pid=$!
i=0
until [ "$(docker inspect -f '{{.State.Running}}' $P-api-1 2>/dev/null)" = true ]; do
  i=$((i+1)); [ $i -gt 600 ] && break; sleep 0.1
done
for s in api web; do docker inspect -f '{{.State.StartedAt}}' $P-$s-1 > $s.before; done
docker exec $P-db-1 touch /run/crash
i=0
until grep -q "$MARK" up.log; do i=$((i+1)); [ $i -gt 900 ] && break; sleep 0.1; done
for s in api web; do docker inspect -f '{{.State.StartedAt}}' $P-$s-1 > $s.after; done
kill -INT $pid; wait $pid
cat up.log
)SH";
  CommandOptions options;
  options.cwd = project.dir();
  options.env.emplace("COMPOSE_PROGRESS", "plain");
  return runCommand({"sh", "-c", script, "sh", stackBinary(), project.name(), until}, options);
}

// db's health flaps every three seconds (the engine's check runs each second); api may
// be restarted at most `max_restarts` times, with a one-second backoff.
std::string flapping(int max_restarts) {
  return R"(
services:
  db:
    image: stack-test/busybox:latest
    command: ["sh", "-c", "while true; do touch /run/ok; sleep 3; rm /run/ok; sleep 3; done"]
    tmpfs: [/run]
    healthcheck: {test: ["CMD", "test", "-f", "/run/ok"], interval: 1s, retries: 1}
    stop_signal: SIGKILL
  api:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    stop_signal: SIGKILL
    x-stack-supervise: {max_restarts: )" +
         std::to_string(max_restarts) + R"(, backoff: 1s, ready_timeout: 20s}
    depends_on:
      db: {condition: service_healthy, restart: true}
  web:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    stop_signal: SIGKILL
    depends_on: [db]
)";
}

size_t count(const std::string& text, const std::string& part) {
  size_t found = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++found;
  return found;
}

std::string fileOf(const TestProject& project, const std::string& name) {
  auto result = runCommand({"cat", project.dir() + "/" + name});
  return result.out;
}

}  // namespace

TEST_CASE("x-stack-supervise: a crashed db restarts its restart: true dependent once healthy") {
  TestProject project(compose(true), "sup");
  requireEngine();
  auto run = crashDbUnderUp(project, "Supervisor: restarted api");
  INFO(run.out);
  REQUIRE(run.out.find("Supervisor: restarted api after db was") != std::string::npos);
  CHECK(fileOf(project, "api.after") != fileOf(project, "api.before"));
  CHECK(fileOf(project, "web.after") == fileOf(project, "web.before"));
  // The restart came after db was ready again, as the supervisor reported it.
  const auto waiting = run.out.find("; waiting until it is ready again to restart api");
  CHECK(waiting != std::string::npos);
  CHECK(waiting < run.out.find("Supervisor: restarted api"));
}

TEST_CASE("x-stack-supervise: a db that is not ready again restarts nothing, and says why") {
  TestProject project(compose(false), "sup");
  requireEngine();
  auto run = crashDbUnderUp(project, "Supervisor: not restarting api");
  INFO(run.out);
  REQUIRE(run.out.find("Supervisor: not restarting api: db is") != std::string::npos);
  CHECK(run.out.find("Supervisor: restarted api") == std::string::npos);
  CHECK(fileOf(project, "api.after") == fileOf(project, "api.before"));
  CHECK(fileOf(project, "web.after") == fileOf(project, "web.before"));
}

TEST_CASE(
    "x-stack-supervise: a flapping db restarts api at most max_restarts times, with backoff") {
  TestProject project(flapping(2), "sup");
  requireEngine();
  auto run = crashDbUnderUp(project, "limit of 2 supervised restarts reached");
  INFO(run.out);
  REQUIRE(run.out.find("Supervisor: not restarting api after db was unhealthy: limit of 2") !=
          std::string::npos);
  CHECK(count(run.out, "Supervisor: restarted api after db was unhealthy") == 2);
  const auto backoff = run.out.find("Supervisor: restarting api in 1.0s (backoff)");
  CHECK(backoff != std::string::npos);
  CHECK(backoff < run.out.find("(restart 2 of 2)"));
  CHECK(fileOf(project, "api.after") != fileOf(project, "api.before"));
  CHECK(fileOf(project, "web.after") == fileOf(project, "web.before"));
}

TEST_CASE("x-stack-supervise: with max_restarts 0 a flapping db restarts nothing") {
  TestProject project(flapping(0), "sup");
  requireEngine();
  auto run = crashDbUnderUp(project, "limit of 0 supervised restarts reached");
  INFO(run.out);
  REQUIRE(run.out.find("Supervisor: not restarting api after db was unhealthy: limit of 0") !=
          std::string::npos);
  CHECK(count(run.out, "Supervisor: restarted api") == 0);
  CHECK(fileOf(project, "api.after") == fileOf(project, "api.before"));
}

}  // namespace stack::test
