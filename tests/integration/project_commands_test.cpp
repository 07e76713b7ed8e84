// `stack scale`, `stack volumes` and `stack attach` end to end through the real `stack` binary
// against dockerd, checked with the docker CLI. Each test has its own project (TestProject removes
// it, pass or fail).

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/support/test_project.hpp"

namespace stack::test {
namespace {

// db keeps a named volume; job prints after two seconds, then exits 3.
const char* kServices = R"(
services:
  db:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    stop_grace_period: 1s
    volumes: ["data:/data"]
  job:
    image: stack-test/busybox:latest
    command: ["sh", "-c", "sleep 2; echo done; exit 3"]
    stdin_open: true
    profiles: ["attach"]
volumes:
  data: {}
)";

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

TEST_CASE("scale sets the replica count both ways, volumes lists what the services mount") {
  TestProject project(kServices, "scale");
  requireEngine();
  auto up = project.stack({"scale", "db=3"});
  REQUIRE_MESSAGE(up.exit_code == 0, up.err);
  CHECK(project.containerNames().size() == 3);
  CHECK(project.docker({"inspect", project.name() + "-db-3"}).exit_code == 0);
  auto down = project.stack({"scale", "db=1"});
  REQUIRE_MESSAGE(down.exit_code == 0, down.err);
  CHECK(project.containerNames() == std::vector<std::string>{project.name() + "-db-1"});

  auto quiet = project.stack({"volumes", "-q"});
  REQUIRE_MESSAGE(quiet.exit_code == 0, quiet.err);
  CHECK(lines(quiet.out) == std::vector<std::string>{project.name() + "_data"});
  auto table = project.stack({"volumes", "db"});
  REQUIRE_MESSAGE(table.exit_code == 0, table.err);
  CHECK(contains(table.out, "DRIVER"));
  CHECK(contains(table.out, project.name() + "_data"));
  auto json = project.stack({"volumes", "--format", "json"});
  REQUIRE(lines(json.out).size() == 1);
  CHECK(nlohmann::json::parse(lines(json.out)[0])["Driver"] == "local");
}

TEST_CASE("scale and volumes fail clearly on bad arguments and unknown services") {
  TestProject project(kServices, "scale");
  requireEngine();
  auto bad = project.stack({"scale", "db=x"});
  CHECK(bad.exit_code == 1);
  CHECK(contains(bad.err, "invalid scale specifier"));
  auto unknown = project.stack({"scale", "nosuch=2"});
  CHECK(unknown.exit_code != 0);
  CHECK(contains(unknown.err, "no such service"));
  CHECK(contains(unknown.err, "nosuch"));
  CHECK(project.containerNames().empty());
  auto volumes = project.stack({"volumes", "nosuch"});
  CHECK(volumes.exit_code != 0);
  CHECK(contains(volumes.err, "no such service"));
  CHECK(contains(volumes.err, "nosuch"));
}

TEST_CASE("attach follows the container's output and returns its exit code") {
  TestProject project(kServices, "attach");
  requireEngine();
  auto up = project.stack({"--profile", "attach", "up", "-d", "job"});
  REQUIRE_MESSAGE(up.exit_code == 0, up.err);
  // With stdin open, the engine ends an attach when the local stdin ends (as docker
  // attach < /dev/null does), so this one leaves stdin out.
  auto attach =
      project.stack({"attach", "--no-stdin", "job"}, {.timeout = std::chrono::seconds(60)});
  CHECK_FALSE(attach.timed_out);
  CHECK(attach.exit_code == 3);
  CHECK(contains(attach.out, "done"));
  // Now it has stopped: attach refuses, as docker compose does.
  auto stopped = project.stack({"attach", "job"});
  CHECK(stopped.exit_code == 1);
  CHECK(contains(stopped.err, "service \"job\" is not running"));
  auto keys = project.stack({"attach", "--detach-keys", "ctrl-x", "job"});
  CHECK(keys.exit_code == 1);
}

}  // namespace
}  // namespace stack::test
