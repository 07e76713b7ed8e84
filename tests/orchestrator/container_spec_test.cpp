// What compose keys ask of the engine: the service-to-create-request mapping.

#include "orchestrator/planner/container_spec.hpp"

#include <doctest/doctest.h>

#include "core/error.hpp"
#include "tests/orchestrator/project_builder.hpp"

namespace stack::test {
namespace {

orchestrator::planner::ContainerSpec specFor(const orchestrator::compose::Project& p,
                                             const std::string& name) {
  orchestrator::planner::ContainerIdentity identity;
  identity.name = orchestrator::planner::serviceContainerName(p, p.services.at(name), 1);
  identity.config_hash = "hash";
  return orchestrator::planner::containerSpec(p, p.services.at(name), identity);
}

}  // namespace

TEST_CASE("ports publish on the given host ip and expose the target") {
  auto p = project({service("web")});
  auto& web = p.services.at("web");
  web.ports.push_back({.target = 80, .published = "8080", .host_ip = "127.0.0.1"});
  web.ports.push_back({.target = 53, .published = "", .protocol = "udp"});
  auto spec = specFor(p, "web");
  const auto& bindings = spec.create.host_config.port_bindings;
  REQUIRE(bindings.count("80/tcp"));
  CHECK(bindings.at("80/tcp")[0].host_ip == "127.0.0.1");
  CHECK(bindings.at("80/tcp")[0].host_port == "8080");
  CHECK(bindings.at("53/udp")[0].host_port.empty());
  CHECK(spec.create.config.exposed_ports.size() == 2);
}

TEST_CASE("environment: values pass through, bare keys come from the environment or stay unset") {
  auto p = project({service("web")});
  p.environment["FROM_SHELL"] = "shell";
  auto& web = p.services.at("web");
  web.environment["PLAIN"] = "1";
  web.environment["FROM_SHELL"] = std::nullopt;
  web.environment["UNSET"] = std::nullopt;
  CHECK(specFor(p, "web").create.config.env ==
        std::vector<std::string>{"FROM_SHELL=shell", "PLAIN=1"});
}

TEST_CASE("volumes: named volumes use the engine name, binds create host paths, tmpfs sizes") {
  auto p = project({service("db")});
  p.volumes["data"].name = "demo_data";
  auto& db = p.services.at("db");
  db.volumes.push_back({.type = "volume", .source = "data", .target = "/var/lib/db"});
  db.volumes.push_back(
      {.type = "bind", .source = "/src/demo/conf", .target = "/etc/db", .read_only = true});
  db.volumes.push_back({.type = "tmpfs",
                        .target = "/tmp",
                        .tmpfs = orchestrator::compose::TmpfsOptions{1 << 20, std::nullopt}});
  auto spec = specFor(p, "db");
  const auto& mounts = spec.create.host_config.mounts;
  REQUIRE(mounts.size() == 2);
  CHECK(mounts[0].type == "volume");
  CHECK(mounts[0].source == "demo_data");
  CHECK(mounts[1].type == "tmpfs");
  CHECK(mounts[1].tmpfs_size_bytes == 1 << 20);
  CHECK(spec.create.host_config.binds == std::vector<std::string>{"/src/demo/conf:/etc/db:ro"});
}

TEST_CASE("networks: the first by priority goes in create, the rest are connected before start") {
  auto p = project({service("web")});
  p.networks["front"].name = "demo_front";
  p.networks["back"].name = "demo_back";
  auto& web = p.services.at("web");
  web.networks["back"] = orchestrator::compose::ServiceNetwork{.aliases = {"api"}};
  web.networks["front"] = orchestrator::compose::ServiceNetwork{.priority = 10};
  auto spec = specFor(p, "web");
  REQUIRE(spec.create.networks.size() == 1);
  CHECK(spec.create.networks.count("demo_front"));
  CHECK(spec.create.host_config.network_mode == "demo_front");
  REQUIRE(spec.extra_networks.size() == 1);
  CHECK(spec.extra_networks[0].network == "demo_back");
  CHECK(spec.extra_networks[0].endpoint.aliases == std::vector<std::string>{"web", "api"});
}

TEST_CASE("network_mode service:X joins the first container of X, with no networks") {
  auto p = project({service("web"), service("sidecar")});
  p.services.at("sidecar").network_mode = "service:web";
  auto spec = specFor(p, "sidecar");
  CHECK(spec.create.host_config.network_mode == "container:demo-web-1");
  CHECK(spec.create.networks.empty());
}

TEST_CASE("healthcheck, restart and stop settings map to the engine's fields") {
  auto p = project({service("db")});
  auto& db = p.services.at("db");
  db.healthcheck = orchestrator::compose::Healthcheck{
      .test = {"CMD-SHELL", "pg_isready"}, .interval = std::chrono::seconds(2), .retries = 5};
  db.restart = "on-failure:3";
  db.stop_grace_period = std::chrono::seconds(20);
  db.stop_signal = "SIGINT";
  auto spec = specFor(p, "db");
  REQUIRE(spec.create.config.healthcheck);
  CHECK(spec.create.config.healthcheck->test ==
        std::vector<std::string>{"CMD-SHELL", "pg_isready"});
  CHECK(spec.create.config.healthcheck->interval == std::chrono::seconds(2));
  CHECK(spec.create.config.healthcheck->retries == 5);
  CHECK(spec.create.host_config.restart_policy.name == "on-failure");
  CHECK(spec.create.host_config.restart_policy.maximum_retry_count == 3);
  CHECK(spec.create.config.stop_timeout == 20);
  CHECK(spec.create.config.stop_signal == "SIGINT");
}

TEST_CASE("labels carry the compose identity of the container") {
  auto p = project({service("web"), service("db")});
  dependsOn(p, "web", "db", "service_healthy", true);
  auto labels = specFor(p, "web").create.config.labels;
  CHECK(labels.at("com.docker.compose.project") == "demo");
  CHECK(labels.at("com.docker.compose.service") == "web");
  CHECK(labels.at("com.docker.compose.container-number") == "1");
  CHECK(labels.at("com.docker.compose.oneoff") == "False");
  CHECK(labels.at("com.docker.compose.config-hash") == "hash");
  CHECK(labels.at("com.docker.compose.depends_on") == "db:service_healthy:true");
  CHECK(labels.at("com.docker.compose.project.config_files") == "/src/demo/compose.yaml");
}

TEST_CASE("secrets and configs: files are mounted and the others are copied in with their mode") {
  auto p = project({service("web")});
  p.environment["TOKEN"] = "from-env";
  p.secrets["file"].file = "/src/demo/file.txt";
  p.secrets["env"].environment = "TOKEN";
  p.configs["inline"].content = "a=1\n";
  auto& web = p.services.at("web");
  web.secrets.push_back({.source = "file", .target = "/run/secrets/file"});
  web.secrets.push_back({.source = "env", .target = "token", .uid = "1000", .mode = 0400});
  web.configs.push_back({.source = "inline"});
  auto spec = specFor(p, "web");
  CHECK(spec.create.host_config.binds ==
        std::vector<std::string>{"/src/demo/file.txt:/run/secrets/file:ro"});
  REQUIRE(spec.files.size() == 2);
  CHECK(spec.files[0].path == "/run/secrets/token");
  CHECK(spec.files[0].content == "from-env");
  CHECK(spec.files[0].mode == 0400);
  CHECK(spec.files[0].uid == 1000);
  CHECK(spec.files[1].path == "/inline");
  CHECK(spec.files[1].content == "a=1\n");
  CHECK(spec.files[1].mode == 0444);
}

TEST_CASE("secrets and configs: an unset variable or a read_only service is an error") {
  auto p = project({service("web")});
  p.secrets["env"].environment = "MISSING";
  p.services.at("web").secrets.push_back({.source = "env"});
  CHECK_THROWS_WITH_AS(specFor(p, "web"), doctest::Contains("MISSING is not set"), Error);
  p.environment["MISSING"] = "now set";
  p.services.at("web").read_only = true;
  CHECK_THROWS_WITH_AS(specFor(p, "web"), doctest::Contains("read_only"), Error);
}

}  // namespace stack::test
