// The walking skeleton end to end: `stack up -d`, `ps`, `down` against dockerd, checked
// with the docker CLI as an independent observer.

#include <doctest/doctest.h>

#include "tests/support/test_project.hpp"

namespace stack::test {
namespace {

const char* kWebAndClient = R"(
services:
  web:
    image: stack-test/busybox:latest
    command: ["httpd", "-f", "-p", "80", "-h", "/etc"]
  client:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    depends_on: [web]
)";

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

// Where `needle` starts in `line`, in UTF-8 code points (terminal columns).
size_t column(const std::string& line, const std::string& needle) {
  size_t columns = 0;
  const size_t at = line.find(needle);
  for (size_t i = 0; i < at && i < line.size(); ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++columns;
  }
  return columns;
}

}  // namespace

TEST_CASE("up -d creates the network and labelled containers, and a client reaches web by name") {
  requireEngine();
  TestProject project(kWebAndClient);
  auto up = project.stack({"up", "-d"});
  REQUIRE_MESSAGE(up.exit_code == 0, up.err);

  const std::string web = project.name() + "-web-1";
  const std::string client = project.name() + "-client-1";
  CHECK(project.containerNames() == std::vector<std::string>{client, web});
  auto network = project.docker(
      {"network", "inspect", "--format", "{{.Driver}}", project.name() + "_default"});
  CHECK(network.exit_code == 0);
  CHECK(lines(network.out) == std::vector<std::string>{"bridge"});

  CHECK(project.containerLabel(web, "com.docker.compose.project") == project.name());
  CHECK(project.containerLabel(web, "com.docker.compose.service") == "web");
  CHECK(project.containerLabel(web, "com.docker.compose.container-number") == "1");
  CHECK(project.containerLabel(web, "com.docker.compose.oneoff") == "False");
  CHECK(project.containerLabel(web, "com.docker.compose.config-hash").size() == 64);
  CHECK_FALSE(project.containerLabel(web, "com.docker.compose.version").empty());
  CHECK(project.containerLabel(web, "com.docker.compose.project.working_dir") == project.dir());
  CHECK(project.containerLabel(web, "com.docker.compose.project.config_files") ==
        project.dir() + "/compose.yaml");

  // Service DNS on the project network: the client fetches a file served by web.
  CommandResult fetched;
  for (int attempt = 0; attempt < 50; ++attempt) {
    fetched = project.docker({"exec", client, "wget", "-qO-", "http://web/hostname"});
    if (fetched.exit_code == 0) break;
    runShell("sleep 0.1");
  }
  CHECK_MESSAGE(fetched.exit_code == 0, fetched.err);
  auto web_id = project.docker({"inspect", "--format", "{{.Config.Hostname}}", web});
  CHECK(lines(fetched.out) == lines(web_id.out));
}

TEST_CASE("ps lists the project's containers and down removes containers and network") {
  requireEngine();
  TestProject project(kWebAndClient);
  REQUIRE(project.stack({"up", "-d"}).exit_code == 0);

  auto ps = project.stack({"ps"});
  REQUIRE(ps.exit_code == 0);
  CHECK(contains(ps.out, project.name() + "-web-1"));
  CHECK(contains(ps.out, project.name() + "-client-1"));
  // Columns line up even past a truncated command ("...…", a multi-byte mark).
  const auto table = lines(ps.out);
  REQUIRE(table.size() == 3);
  CHECK(contains(ps.out, "\u2026"));
  for (const auto& row : {table[1], table[2]}) {
    const std::string service = contains(row, "-web-1 ") ? " web " : " client ";
    CHECK_MESSAGE(column(row, service) + 1 == column(table[0], "SERVICE"), ps.out);
  }
  auto quiet = project.stack({"ps", "-q"});
  CHECK(lines(quiet.out).size() == 2);
  auto json = project.stack({"ps", "--format", "json"});
  CHECK(lines(json.out).size() == 2);
  CHECK(contains(json.out, "\"Service\":\"web\""));

  auto down = project.stack({"down", "-t", "1"});
  REQUIRE_MESSAGE(down.exit_code == 0, down.err);
  CHECK(project.containerIds().empty());
  CHECK(project.docker({"network", "inspect", project.name() + "_default"}).exit_code != 0);
}

TEST_CASE("a second up recreates nothing") {
  requireEngine();
  TestProject project(kWebAndClient);
  REQUIRE(project.stack({"up", "-d"}).exit_code == 0);
  const auto before = project.containerIds();
  auto again = project.stack({"up", "-d"});
  REQUIRE_MESSAGE(again.exit_code == 0, again.err);
  CHECK(project.containerIds() == before);
  CHECK_FALSE(contains(again.err, "Created"));
}

TEST_CASE("down works without a compose file, from labels alone") {
  requireEngine();
  TestProject project(kWebAndClient);
  REQUIRE(project.stack({"up", "-d"}).exit_code == 0);
  auto down = project.stack({"down", "-t", "1"}, {.cwd = "/"});
  REQUIRE_MESSAGE(down.exit_code == 0, down.err);
  CHECK(project.containerIds().empty());
}

TEST_CASE("docker-compose v1 lists the containers stack created") {
  requireEngine();
  if (runCommand({"docker-compose", "version"}).exit_code != 0) {
    FAIL("docker-compose v1 is not installed; run scripts/setup.sh --test-tools");
  }
  TestProject project(kWebAndClient);
  REQUIRE(project.stack({"up", "-d"}).exit_code == 0);
  auto v1 = runCommand({"docker-compose", "-p", project.name(), "ps"}, {.cwd = project.dir()});
  REQUIRE_MESSAGE(v1.exit_code == 0, v1.err);
  CHECK(contains(v1.out, project.name() + "-web-1"));
  CHECK(contains(v1.out, project.name() + "-client-1"));
}

TEST_CASE("with no engine, ps fails naming the socket and how to start an engine") {
  TestProject project(kWebAndClient);
  auto ps = project.stack({"ps"}, {.env = {{"DOCKER_HOST", "unix:///tmp/stack-no-engine.sock"}}});
  CHECK(ps.exit_code != 0);
  CHECK(ps.exit_code < 128);  // an error exit, not a crash
  CHECK(contains(ps.err, "unix:///tmp/stack-no-engine.sock"));
  CHECK(contains(ps.err, "dockerd"));
}

}  // namespace stack::test
