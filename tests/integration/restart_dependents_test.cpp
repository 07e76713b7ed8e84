// depends_on restart: true through `stack restart`: the dependent that declared it restarts
// after its dependency is healthy again; one that did not stays as it was.

#include <doctest/doctest.h>

#include <ctime>
#include <iomanip>
#include <sstream>

#include "tests/support/test_project.hpp"

namespace stack::test {
namespace {

// db is healthy two seconds after each start (its marker is on a tmpfs, so a restart
// clears it). web restarts with db; side depends on db without restart.
const char* kRestart = R"(
services:
  db:
    image: stack-test/busybox:latest
    command: ["sh", "-c", "sleep 2; touch /run/ok; exec sleep 3600"]
    tmpfs: [/run]
    healthcheck: {test: ["CMD", "test", "-f", "/run/ok"], interval: 30s}
    stop_signal: SIGKILL
  web:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    stop_signal: SIGKILL
    depends_on:
      db: {condition: service_healthy, restart: true}
  side:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    stop_signal: SIGKILL
    depends_on:
      db: {condition: service_healthy}
)";

std::string startedAt(const TestProject& project, const std::string& service) {
  auto result = project.docker(
      {"inspect", "-f", "{{.State.StartedAt}}", project.name() + "-" + service + "-1"});
  REQUIRE_MESSAGE(result.exit_code == 0, result.err);
  return lines(result.out).at(0);
}

// Seconds since the epoch of docker's RFC 3339 "2026-12-03T11:22:33.123456789Z".
double seconds(const std::string& text) {
  std::tm tm{};
  std::istringstream in(text.substr(0, 19));
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
  double value = static_cast<double>(timegm(&tm));
  const auto dot = text.find('.');
  if (dot != std::string::npos) value += std::stod("0" + text.substr(dot, text.find('Z') - dot));
  return value;
}

}  // namespace

TEST_CASE("restart of a dependency restarts its restart: true dependents once it is healthy") {
  TestProject project(kRestart, "rdeps");
  requireEngine();
  auto up = project.stack({"up", "-d"});
  REQUIRE_MESSAGE(up.exit_code == 0, up.err);
  const std::string web_before = startedAt(project, "web");
  const std::string side_before = startedAt(project, "side");

  auto restart = project.stack({"restart", "db"});
  REQUIRE_MESSAGE(restart.exit_code == 0, restart.err);
  const double db = seconds(startedAt(project, "db"));
  const std::string web_after = startedAt(project, "web");
  CHECK(web_after != web_before);
  // db cannot be healthy before its two-second sleep: web started after that, not with db.
  CHECK(seconds(web_after) - db >= 1.9);
  // side did not ask to restart with db (the failure twin: no restart: true, no restart).
  CHECK(startedAt(project, "side") == side_before);
}

}  // namespace stack::test
