// `stack deploy` and `stack swarm ...` against dockerd as a single-node swarm, checked
// with the docker CLI (`docker service inspect`, `docker stack ...`) as the observer.
//
// Two facts about this machine shape the files: its kernel has no IPVS, so Swarm's
// routing mesh (ingress ports) and virtual IPs do not carry traffic here. The web service
// is reached through a host-mode published port on 127.0.0.1, and the database is found
// by DNS round robin (endpoint_mode: dnsrr). The ingress port is still deployed and
// checked in the service's endpoint, where the engine allocates it.

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/integration/integration_support.hpp"
#include "tests/support/local_registry.hpp"
#include "tests/support/swarm_support.hpp"
#include "tests/support/test_project.hpp"

namespace stack::test {
namespace {

nlohmann::json serviceJson(const std::string& service) {
  auto result = runCommand({"docker", "service", "inspect", service});
  auto json = nlohmann::json::parse(result.out, nullptr, false);
  return json.is_array() && !json.empty() ? json[0] : nlohmann::json();
}

uint64_t versionOf(const std::string& service) {
  auto json = serviceJson(service);
  return json.is_null() ? 0 : json["Version"]["Index"].get<uint64_t>();
}

std::vector<std::string> labelled(const std::string& kind, const std::string& stack) {
  return lines(runCommand({"docker", kind, "ls", "-q", "--filter",
                           "label=com.docker.stack.namespace=" + stack})
                   .out);
}

// Polls (bounded) until the stack has no service, secret, config or network left.
bool stackGone(const std::string& stack) {
  for (int i = 0; i < 100; ++i) {
    if (labelled("service", stack).empty() && labelled("secret", stack).empty() &&
        labelled("config", stack).empty() && labelled("network", stack).empty()) {
      return true;
    }
    ::usleep(200 * 1000);
  }
  return false;
}

void writeWebapp(const TestProject& project, const std::string& mode, uint16_t host_port,
                 uint16_t ingress_port) {
  project.writeFile("web/Dockerfile",
                    "FROM stack-test/busybox:latest\nCOPY www /www\nRUN chmod +x "
                    "/www/cgi-bin/status\nCMD [\"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", "
                    "\"/www\"]\n");
  project.writeFile("web/www/cgi-bin/status",
                    "#!/bin/sh\necho 'Content-Type: text/plain'\necho\necho \"web $WEB_MODE\"\n"
                    "printf 'GET /row HTTP/1.0\\r\\n\\r\\n' | nc -w 2 db 5432 | tail -n 1\n");
  project.writeFile("db/Dockerfile",
                    "FROM stack-test/busybox:latest\nCOPY row /data/row\nCMD [\"httpd\", \"-f\", "
                    "\"-p\", \"5432\", \"-h\", \"/data\"]\n");
  project.writeFile("db/row", "row-42\n");
  project.writeFile("compose.yaml", R"(
services:
  web:
    build: ./web
    environment: {WEB_MODE: ")" + mode + R"("}
    ports:
      - {target: 8080, published: ")" + std::to_string(host_port) +
                                        R"(", mode: host}
      - {target: 8080, published: ")" + std::to_string(ingress_port) +
                                        R"("}
    depends_on: [db]
    stop_grace_period: 1s  # httpd as pid 1 ignores SIGTERM: do not wait 10 s for it
    deploy: {update_config: {monitor: 1s}}  # Swarm's default watches an update for 5 s
  db:
    build: ./db
    stop_grace_period: 1s
    deploy: {endpoint_mode: dnsrr}
    healthcheck:
      test: ["CMD-SHELL", "printf 'GET /row HTTP/1.0\r\n\r\n' | nc -w 1 127.0.0.1 5432 | grep -q row-42"]
      interval: 1s
      retries: 30
)");
}

}  // namespace

TEST_CASE("swarm: deploy a webapp and its database built here, reach it, change one service") {
  SwarmGuard swarm;
  TestProject project("services: {}\n", "sw");
  SwarmStackCleanup cleanup(project.name());
  const uint16_t port = freePort();
  const uint16_t ingress = freePort();
  writeWebapp(project, "one", port, ingress);
  const std::string web = project.name() + "_web", db = project.name() + "_db";

  auto deployed = project.stack({"deploy", "--wait", "--wait-timeout", "120"});
  INFO(deployed.out << deployed.err);
  REQUIRE(deployed.exit_code == 0);
  CHECK(contains(deployed.out, "build"));  // the report: built here before deploying
  CHECK(contains(deployed.out, "depends_on.db"));
  auto body = httpGet(port, "/cgi-bin/status", 50);
  REQUIRE(body);
  CHECK(contains(*body, "web one"));
  CHECK(contains(*body, "row-42"));  // web reached db over the stack's overlay network

  const nlohmann::json spec = serviceJson(web);
  CHECK(spec["Spec"]["Labels"]["com.docker.stack.namespace"] == project.name());
  CHECK(spec["Spec"]["Labels"]["com.docker.stack.image"] == project.name() + "-web");
  bool ingress_allocated = false;
  for (const auto& p : spec["Endpoint"]["Ports"]) {
    ingress_allocated =
        ingress_allocated || (p["PublishMode"] == "ingress" && p["PublishedPort"] == ingress);
  }
  CHECK(ingress_allocated);

  const uint64_t web_version = versionOf(web), db_version = versionOf(db);
  auto unchanged = project.stack({"deploy"});
  CHECK(unchanged.exit_code == 0);
  CHECK(contains(unchanged.err, "is up to date"));
  CHECK(versionOf(web) == web_version);
  CHECK(versionOf(db) == db_version);

  writeWebapp(project, "two", port, ingress);
  auto changed = project.stack({"deploy", "--wait", "--wait-timeout", "120"});
  INFO(changed.out << changed.err);
  REQUIRE(changed.exit_code == 0);
  CHECK(versionOf(db) == db_version);
  CHECK(versionOf(web) > web_version);
  CHECK(contains(changed.err, "Service " + web + "  Updated"));
  CHECK_FALSE(contains(changed.err, "Service " + db + "  Updated"));
  auto after = httpGet(port, "/cgi-bin/status", 50);
  REQUIRE(after);
  CHECK(contains(*after, "web two"));
}

TEST_CASE("swarm: --wait fails at once with the task error when a task is rejected") {
  SwarmGuard swarm;
  TestProject project(R"(
services:
  app:
    image: stack-test/busybox:latest
    command: ["sleep", "600"]
    stop_grace_period: 1s
    volumes: ["/nonexistent/stack-swarm-test:/data"]
)",
                      "sw");
  SwarmStackCleanup cleanup(project.name());
  auto result = project.stack({"deploy", "--wait", "--wait-timeout", "120"});
  INFO(result.out << result.err);
  CHECK(result.exit_code != 0);
  CHECK(contains(result.err, "service \"" + project.name() + "_app\": task " + project.name() +
                                 "_app.1 rejected: invalid mount config"));
  CHECK_FALSE(contains(result.err, "did not converge"));
}

TEST_CASE("swarm: --wait fails at once when no node satisfies the placement") {
  SwarmGuard swarm;
  TestProject project(R"(
services:
  app:
    image: stack-test/busybox:latest
    command: ["sleep", "600"]
    stop_grace_period: 1s
    deploy: {placement: {constraints: ["node.labels.stack-test-missing == yes"]}}
)",
                      "sw");
  SwarmStackCleanup cleanup(project.name());
  auto result = project.stack({"deploy", "--wait", "--wait-timeout", "120"});
  INFO(result.out << result.err);
  CHECK(result.exit_code != 0);
  CHECK(contains(result.err, "cannot be scheduled: no suitable node"));
  CHECK_FALSE(contains(result.err, "did not converge"));
}

TEST_CASE("swarm: the dropped-keys report for build, container_name and depends_on, and --strict") {
  SwarmGuard swarm;
  TestProject project(R"(
services:
  web:
    build: .
    container_name: my-web
    depends_on:
      db: {condition: service_healthy}
  db:
    image: stack-test/busybox:latest
    healthcheck: {test: ["CMD", "true"]}
)",
                      "sw");
  SwarmStackCleanup cleanup(project.name());
  project.writeFile("Dockerfile", "FROM stack-test/busybox:latest\n");
  auto dry = project.stack({"deploy", "--dry-run", "--format", "json"});
  INFO(dry.out << dry.err);
  REQUIRE(dry.exit_code == 0);
  const auto report = nlohmann::json::parse(dry.out, nullptr, false);
  REQUIRE(report.is_object());
  std::map<std::string, std::string> actions;
  for (const auto& f : report["findings"]) {
    actions[f["service"].get<std::string>() + "." + f["key"].get<std::string>()] = f["action"];
  }
  CHECK(actions["web.build"] == "done");
  CHECK(actions["web.container_name"] == "ignored");
  CHECK(actions["web.depends_on.db"] == "ignored");
  CHECK(report["plan"]["calls"].size() == 3);  // network and two services: planned only
  CHECK(labelled("service", project.name()).empty());

  auto strict = project.stack({"deploy", "--strict"});
  CHECK(strict.exit_code != 0);
  CHECK(contains(strict.err, "services.web.container_name"));
  CHECK(labelled("service", project.name()).empty());
  CHECK(labelled("network", project.name()).empty());
}

TEST_CASE("swarm: docker stack rm removes what stack deploy made") {
  SwarmGuard swarm;
  TestProject project(R"(
services:
  app:
    image: stack-test/busybox:latest
    command: ["sleep", "600"]
    stop_grace_period: 1s
    secrets: [token]
    configs: [settings]
secrets:
  token: {file: ./token.txt}
configs:
  settings: {file: ./settings.txt}
)",
                      "sw");
  SwarmStackCleanup cleanup(project.name());
  project.writeFile("token.txt", "t0ken");
  project.writeFile("settings.txt", "a=1");
  REQUIRE(project.stack({"deploy"}).exit_code == 0);
  auto listed = runCommand({"docker", "stack", "services", project.name()});
  CHECK(contains(listed.out, project.name() + "_app"));
  CHECK(labelled("secret", project.name()).size() == 1);
  CHECK(labelled("config", project.name()).size() == 1);
  auto removed = runCommand({"docker", "stack", "rm", project.name()});
  INFO(removed.out << removed.err);
  CHECK(removed.exit_code == 0);
  CHECK(stackGone(project.name()));
}

TEST_CASE(
    "swarm: stack sees and removes what docker stack deploy made, and never external objects") {
  SwarmGuard swarm;
  TestProject project("services: {}\n", "sw");
  SwarmStackCleanup cleanup(project.name());
  const std::string shared = project.name() + "-shared";
  REQUIRE(runCommand({"docker", "network", "create", "--driver", "overlay", "--attachable", shared})
              .exit_code == 0);
  project.writeFile("docker-stack.yml", R"(
version: "3.8"
services:
  app:
    image: stack-test/busybox:latest
    command: ["sleep", "600"]
    stop_grace_period: 1s  # sleep as pid 1 ignores SIGTERM
    networks: [default, shared]
    volumes: [data:/data]
    secrets: [token]
networks:
  shared: {external: true, name: )" + shared +
                                            R"(}
volumes:
  data: {}
secrets:
  token: {file: ./token.txt}
)");
  project.writeFile("token.txt", "t0ken");
  auto deployed = runCommand(
      {"docker", "stack", "deploy", "-c", project.dir() + "/docker-stack.yml", project.name()});
  INFO(deployed.out << deployed.err);
  REQUIRE(deployed.exit_code == 0);
  auto stacks = project.stack({"swarm", "ls"});
  CHECK(contains(stacks.out, project.name()));
  auto services = project.stack({"swarm", "services"});
  CHECK(contains(services.out, project.name() + "_app"));
  CHECK(contains(services.out, "stack-test/busybox:latest"));
  bool task_listed = false;
  for (int i = 0; i < 50 && !task_listed; ++i) {
    task_listed = contains(project.stack({"swarm", "ps"}).out, project.name() + "_app.1");
    if (!task_listed) ::usleep(200 * 1000);
  }
  CHECK(task_listed);
  const std::string volume = project.name() + "_data";  // made by the node for the task
  bool volume_made = false;
  for (int i = 0; i < 100 && !volume_made; ++i) {
    volume_made = runCommand({"docker", "volume", "inspect", volume}).exit_code == 0;
    if (!volume_made) ::usleep(200 * 1000);
  }
  CHECK(volume_made);
  auto removed = project.stack({"swarm", "rm"});
  INFO(removed.out << removed.err);
  CHECK(removed.exit_code == 0);
  CHECK(stackGone(project.name()));
  CHECK_FALSE(contains(runCommand({"docker", "stack", "ls"}).out, project.name()));
  CHECK(runCommand({"docker", "network", "inspect", shared}).exit_code == 0);  // external
  CHECK(runCommand({"docker", "volume", "inspect", volume}).exit_code == 0);   // data kept
  runCommand({"docker", "network", "rm", shared});
}

TEST_CASE("swarm: --push sends a built image to its registry and the service runs it by digest") {
  SwarmGuard swarm;
  LocalRegistry registry;
  TestProject project("services: {}\n", "sw");
  SwarmStackCleanup cleanup(project.name());
  const std::string image = registry.host() + "/" + project.name() + "-app:1";
  project.writeFile("Dockerfile", "FROM stack-test/busybox:latest\nCMD [\"sleep\", \"600\"]\n");
  project.writeFile("compose.yaml", "services:\n  app:\n    build: .\n    image: " + image +
                                        "\n    stop_grace_period: 1s\n");
  auto deployed = project.stack({"deploy", "--push", "--wait", "--wait-timeout", "120"});
  INFO(deployed.out << deployed.err);
  REQUIRE(deployed.exit_code == 0);
  const std::string running =
      serviceJson(project.name() + "_app")["Spec"]["TaskTemplate"]["ContainerSpec"]["Image"];
  CHECK(running.rfind(image + "@sha256:", 0) == 0);
  runCommand({"docker", "rmi", "-f", image});

  // Without a registry in image:, there is nothing to push to.
  project.writeFile("compose.yaml", "services:\n  app:\n    build: .\n");
  auto unnamed = project.stack({"deploy", "--push"});
  CHECK(unnamed.exit_code != 0);
  CHECK(contains(unnamed.err, "names none to push it as"));
}

}  // namespace stack::test
