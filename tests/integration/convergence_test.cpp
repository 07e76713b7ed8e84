// `up` converges: it recreates exactly what changed, scales, handles orphans, keeps what
// must survive (named and anonymous volumes, external resources), reports a taken host
// port clearly, and converges after being killed mid-way. Checked with the docker CLI.

#include <doctest/doctest.h>

#include <map>
#include <optional>

#include "tests/integration/integration_support.hpp"

namespace stack::test {
namespace {

const char* kThreeTier = R"(
services:
  web:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    depends_on: [api]
    environment: {TIER: web}
  api:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    depends_on:
      db: {condition: service_started, restart: true}
    environment: {TIER: api}
    env_file: [api.env]
    secrets: [token]
    networks: [default, back]
  db:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    environment: {TIER: db}
    volumes: [data:/data, /scratch]
    networks: [back]
networks:
  back: {}
volumes:
  data: {}
secrets:
  token: {file: ./token.txt}
)";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

// Container name -> id, for the project's containers.
std::map<std::string, std::string> idsByName(const TestProject& project) {
  std::map<std::string, std::string> out;
  auto listed = project.docker({"ps", "-a", "--no-trunc", "--format", "{{.Names}} {{.ID}}",
                                "--filter", "label=com.docker.compose.project=" + project.name()});
  for (const auto& line : lines(listed.out)) {
    const size_t space = line.find(' ');
    out[line.substr(0, space)] = line.substr(space + 1);
  }
  return out;
}

std::string startedAt(const TestProject& project, const std::string& container) {
  return lines(project.docker({"inspect", "--format", "{{.State.StartedAt}}", container}).out)
      .at(0);
}

// Names of the project's running containers, sorted.
std::vector<std::string> runningNames(const TestProject& project) {
  auto names = lines(project
                         .docker({"ps", "--format", "{{.Names}}", "--filter",
                                  "label=com.docker.compose.project=" + project.name()})
                         .out);
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> expectedNames(const TestProject& project,
                                       const std::vector<std::string>& suffixes) {
  std::vector<std::string> out;
  for (const auto& suffix : suffixes) out.push_back(project.name() + "-" + suffix);
  std::sort(out.begin(), out.end());
  return out;
}

void writeThreeTier(const TestProject& project) {
  project.writeFile("api.env", "MODE=one\n");
  project.writeFile("token.txt", "first");
}

}  // namespace

TEST_CASE("a second up recreates nothing: container ids and start times are unchanged") {
  requireEngine();
  TestProject project(kThreeTier, "cv");
  writeThreeTier(project);
  REQUIRE(project.stack({"up", "-d", "--scale", "web=2"}).exit_code == 0);
  const auto before = idsByName(project);
  REQUIRE(before.size() == 4);
  const std::string web_started = startedAt(project, project.name() + "-web-1");

  auto again = project.stack({"up", "-d", "--scale", "web=2"});
  REQUIRE_MESSAGE(again.exit_code == 0, again.err);
  CHECK(idsByName(project) == before);
  CHECK(startedAt(project, project.name() + "-web-1") == web_started);
  CHECK_FALSE(contains(again.err, "Creat"));
  CHECK_FALSE(contains(again.err, "Start"));
  CHECK_FALSE(contains(again.err, "Stop"));
}

TEST_CASE(
    "editing one service recreates only that service and restarts its restart: true dependents") {
  requireEngine();
  TestProject project(kThreeTier, "cv");
  writeThreeTier(project);
  REQUIRE(project.stack({"up", "-d"}).exit_code == 0);
  const std::string web = project.name() + "-web-1";
  const std::string api = project.name() + "-api-1";
  const std::string db = project.name() + "-db-1";
  REQUIRE(project.docker({"exec", db, "sh", "-c", "echo kept > /scratch/f; echo named > /data/f"})
              .exit_code == 0);
  // The anonymous volume carries the project label, so down -v finds it by label too.
  auto scratch = project.docker(
      {"inspect", "--format",
       "{{range .Mounts}}{{if eq .Destination \"/scratch\"}}{{.Name}}{{end}}{{end}}", db});
  REQUIRE(lines(scratch.out).size() == 1);
  CHECK(lines(project
                  .docker({"volume", "inspect", "--format",
                           "{{index .Labels \"com.docker.compose.project\"}}",
                           lines(scratch.out).front()})
                  .out) == std::vector<std::string>{project.name()});

  SUBCASE("a change to web recreates web alone") {
    auto before = idsByName(project);
    project.writeFile("compose.yaml", replaced(kThreeTier, "{TIER: web}", "{TIER: web2}"));
    auto up = project.stack({"up", "-d"});
    REQUIRE_MESSAGE(up.exit_code == 0, up.err);
    auto after = idsByName(project);
    CHECK(after.size() == 3);
    CHECK(after[web] != before[web]);
    CHECK(after[api] == before[api]);
    CHECK(after[db] == before[db]);
  }
  SUBCASE("the content of an env_file or a secret is part of the configuration") {
    auto before = idsByName(project);
    project.writeFile("api.env", "MODE=two\n");
    REQUIRE(project.stack({"up", "-d"}).exit_code == 0);
    auto after_env = idsByName(project);
    CHECK(after_env[api] != before[api]);
    CHECK(after_env[web] == before[web]);
    project.writeFile("token.txt", "second");
    REQUIRE(project.stack({"up", "-d"}).exit_code == 0);
    auto after_secret = idsByName(project);
    CHECK(after_secret[api] != after_env[api]);
    CHECK(after_secret[db] == before[db]);
    CHECK(project.docker({"exec", api, "cat", "/run/secrets/token"}).out == "second");
  }
  SUBCASE("a change to db recreates db, keeps its volumes, and restarts api, not web") {
    auto before = idsByName(project);
    const std::string api_started = startedAt(project, api);
    const std::string web_started = startedAt(project, web);
    project.writeFile("compose.yaml", replaced(kThreeTier, "{TIER: db}", "{TIER: db2}"));
    auto up = project.stack({"up", "-d"});
    REQUIRE_MESSAGE(up.exit_code == 0, up.err);
    auto after = idsByName(project);
    CHECK(after.size() == 3);
    CHECK(after[db] != before[db]);
    CHECK(after[api] == before[api]);
    CHECK(startedAt(project, api) != api_started);
    CHECK(after[web] == before[web]);
    CHECK(startedAt(project, web) == web_started);
    CHECK(project.docker({"exec", db, "cat", "/scratch/f"}).out == "kept\n");
    CHECK(project.docker({"exec", db, "cat", "/data/f"}).out == "named\n");
  }
}

TEST_CASE("orphans are listed and kept and then removed with --remove-orphans") {
  requireEngine();
  TestProject project(kThreeTier, "cv");
  writeThreeTier(project);
  REQUIRE(project.stack({"up", "-d"}).exit_code == 0);
  const std::string without_web = replaced(kThreeTier, R"(  web:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    depends_on: [api]
    environment: {TIER: web}
)",
                                           "");
  project.writeFile("compose.yaml", without_web);

  auto kept = project.stack({"up", "-d"});
  REQUIRE_MESSAGE(kept.exit_code == 0, kept.err);
  CHECK(contains(kept.err, "orphan"));
  CHECK(contains(kept.err, project.name() + "-web-1"));
  CHECK(runningNames(project) == expectedNames(project, {"api-1", "db-1", "web-1"}));

  auto removed = project.stack({"up", "-d", "--remove-orphans"});
  REQUIRE_MESSAGE(removed.exit_code == 0, removed.err);
  CHECK(project.containerNames() == expectedNames(project, {"api-1", "db-1"}));
}

TEST_CASE("scale up and down through --scale and scale and deploy.replicas") {
  requireEngine();
  TestProject project(R"(
services:
  web:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    scale: 2
  worker:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    deploy: {replicas: 3}
)",
                      "cv");
  REQUIRE(project.stack({"up", "-d"}).exit_code == 0);
  CHECK(runningNames(project) ==
        expectedNames(project, {"web-1", "web-2", "worker-1", "worker-2", "worker-3"}));
  const auto before = idsByName(project);

  REQUIRE(project.stack({"up", "-d", "--scale", "web=4", "--scale", "worker=1"}).exit_code == 0);
  CHECK(project.containerNames() ==
        expectedNames(project, {"web-1", "web-2", "web-3", "web-4", "worker-1"}));
  auto scaled = idsByName(project);
  CHECK(scaled[project.name() + "-web-1"] == before.at(project.name() + "-web-1"));
  CHECK(scaled[project.name() + "-worker-1"] == before.at(project.name() + "-worker-1"));
  CHECK(project.containerLabel(project.name() + "-web-4", "com.docker.compose.container-number") ==
        "4");

  REQUIRE(project.stack({"up", "-d", "--scale", "web=0"}).exit_code == 0);
  CHECK(project.containerNames() == expectedNames(project, {"worker-1", "worker-2", "worker-3"}));
}

TEST_CASE("down keeps named volumes and down -v removes them but never external ones") {
  requireEngine();
  std::optional<ExternalObject> shared_volume;
  std::optional<ExternalObject> shared_network;
  TestProject project("services: {}\n", "cv");
  shared_volume.emplace("volume", project.name() + "-shared");
  shared_network.emplace("network", project.name() + "-net");
  project.writeFile("compose.yaml", R"(
services:
  db:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    volumes: [data:/data, shared:/shared]
    networks: [default, outside]
volumes:
  data: {}
  shared: {external: true, name: )" + project.name() +
                                        R"(-shared}
networks:
  outside: {external: true, name: )" + project.name() +
                                        R"(-net}
)");
  const std::string data = project.name() + "_data";
  REQUIRE(project.stack({"up", "-d"}).exit_code == 0);
  REQUIRE(inspect(data, "volume").is_object());

  REQUIRE(project.stack({"down", "-t", "1"}).exit_code == 0);
  CHECK(project.containerIds().empty());
  CHECK(inspect(data, "volume").is_object());
  CHECK(inspect(project.name() + "_default", "network").is_null());

  REQUIRE(project.stack({"up", "-d"}).exit_code == 0);
  auto down_v = project.stack({"down", "-v", "-t", "1"});
  REQUIRE_MESSAGE(down_v.exit_code == 0, down_v.err);
  CHECK(inspect(data, "volume").is_null());
  CHECK(inspect(project.name() + "-shared", "volume").is_object());
  CHECK(inspect(project.name() + "-net", "network").is_object());

  // Without the compose file, from labels alone, the external ones are still safe.
  REQUIRE(project.stack({"up", "-d"}).exit_code == 0);
  auto from_labels = project.stack({"down", "-v", "-t", "1"}, {.cwd = "/"});
  REQUIRE_MESSAGE(from_labels.exit_code == 0, from_labels.err);
  CHECK(project.containerIds().empty());
  CHECK(inspect(data, "volume").is_null());
  CHECK(inspect(project.name() + "-shared", "volume").is_object());
  CHECK(inspect(project.name() + "-net", "network").is_object());
}

TEST_CASE("a host port held by another process fails up naming the service and the port") {
  requireEngine();
  HeldPort held;
  const std::string port = std::to_string(held.port());
  TestProject project(R"(
services:
  web:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    ports: ["127.0.0.1:)" +
                          port + R"(:80"]
)",
                      "cv");
  auto up = project.stack({"up", "-d"});
  CHECK(up.exit_code != 0);
  CHECK(up.exit_code < 128);
  CHECK_MESSAGE(contains(up.err, "service \"web\""), up.err);
  CHECK_MESSAGE(contains(up.err, "port " + port + " is already in use"), up.err);
}

TEST_CASE("a host port published by another project's container names the service and the port") {
  requireEngine();
  const std::string port = std::to_string(freePort());
  const std::string yaml = R"(
services:
  web:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    ports: ["127.0.0.1:)" + port +
                           R"(:80"]
)";
  TestProject first(yaml, "cv");
  REQUIRE(first.stack({"up", "-d"}).exit_code == 0);
  TestProject second(replaced(yaml, "  web:", "  front:"), "cv");
  auto up = second.stack({"up", "-d"});
  CHECK(up.exit_code != 0);
  CHECK_MESSAGE(contains(up.err, "service \"front\""), up.err);
  CHECK_MESSAGE(contains(up.err, "port " + port + " is already in use"), up.err);
}

}  // namespace stack::test
