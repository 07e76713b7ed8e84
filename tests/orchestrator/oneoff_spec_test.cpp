// The one-off container of `stack run` as data: name, labels, overrides, ports, aliases,
// and the parsing of --publish and --volume.

#include "orchestrator/oneoff/oneoff_spec.hpp"

#include <doctest/doctest.h>

#include <algorithm>

#include "core/error.hpp"
#include "tests/orchestrator/project_builder.hpp"

namespace stack::test {
namespace {

using orchestrator::oneoff::OneOffIdentity;
using orchestrator::oneoff::RunRequest;

const std::string kSlug(64, 'a');

orchestrator::compose::Project webProject() {
  orchestrator::compose::Service web = service("web");
  web.command = std::vector<std::string>{"serve"};
  web.restart = "always";
  web.container_name = "fixed-web";
  web.environment["MODE"] = "prod";
  web.labels["team"] = "core";
  orchestrator::compose::PortConfig port;
  port.target = 80;
  port.published = "8080";
  web.ports = {port};
  orchestrator::compose::ServiceNetwork network;
  network.aliases = {"www"};
  web.networks["default"] = network;
  return project({web});
}

runtime::ContainerCreateRequest build(const orchestrator::compose::Project& p,
                                      const RunRequest& request) {
  const orchestrator::compose::Service one = orchestrator::oneoff::oneOffService(p, request);
  OneOffIdentity identity;
  identity.slug = kSlug;
  identity.name = orchestrator::oneoff::oneOffName(p, request, identity.slug);
  identity.config_hash = "hash";
  return orchestrator::oneoff::oneOffSpec(p, one, request, identity).create;
}

std::string labelOf(const runtime::ContainerCreateRequest& create, std::string_view key) {
  auto it = create.config.labels.find(std::string(key));
  return it == create.config.labels.end() ? "<none>" : it->second;
}

}  // namespace

TEST_CASE("a one-off container is named and labelled as docker compose names and labels it") {
  const orchestrator::compose::Project p = webProject();
  RunRequest request;
  request.service = "web";
  const auto create = build(p, request);
  CHECK(create.name == "demo-web-run-aaaaaaaaaaaa");  // container_name does not apply
  CHECK(labelOf(create, orchestrator::compose::labels::kOneoff) == "True");
  CHECK(labelOf(create, orchestrator::compose::labels::kSlug) == kSlug);
  CHECK(labelOf(create, orchestrator::compose::labels::kContainerNumber) == "<none>");
  CHECK(labelOf(create, orchestrator::compose::labels::kProject) == "demo");
  CHECK(labelOf(create, orchestrator::compose::labels::kService) == "web");
  CHECK(labelOf(create, orchestrator::compose::labels::kConfigHash) == "hash");
  CHECK(labelOf(create, "team") == "core");

  request.name = "chosen";
  request.labels = {{"team", "ops"}, {"extra", "1"}};
  const auto named = build(p, request);
  CHECK(named.name == "chosen");
  CHECK(labelOf(named, "team") == "ops");
  CHECK(labelOf(named, "extra") == "1");
}

TEST_CASE("new slugs are 64 random hex digits") {
  const std::string a = orchestrator::oneoff::newOneOffSlug();
  const std::string b = orchestrator::oneoff::newOneOffSlug();
  CHECK(a.size() == 64);
  CHECK(
      std::all_of(a.begin(), a.end(), [](char c) { return std::isxdigit(c) && !std::isupper(c); }));
  CHECK(a != b);
}

TEST_CASE("a one-off container publishes no ports unless asked, and keeps no restart policy") {
  const orchestrator::compose::Project p = webProject();
  RunRequest request;
  request.service = "web";
  const auto plain = build(p, request);
  CHECK(plain.host_config.port_bindings.empty());
  CHECK(plain.host_config.restart_policy.name.empty());

  request.service_ports = true;
  const auto with_service_ports = build(p, request);
  REQUIRE(with_service_ports.host_config.port_bindings.count("80/tcp") == 1);
  CHECK(with_service_ports.host_config.port_bindings.at("80/tcp").front().host_port == "8080");

  request.service_ports = false;
  request.publish = orchestrator::oneoff::parsePublishFlags({"127.0.0.1:9090:90/udp"});
  const auto published = build(p, request);
  REQUIRE(published.host_config.port_bindings.count("90/udp") == 1);
  CHECK(published.host_config.port_bindings.count("80/tcp") == 0);
  const auto binding = published.host_config.port_bindings.at("90/udp").front();
  CHECK(binding.host_ip == "127.0.0.1");
  CHECK(binding.host_port == "9090");
}

TEST_CASE("run's overrides replace the service's command, entrypoint, env, user and workdir") {
  const orchestrator::compose::Project p = webProject();
  RunRequest request;
  request.service = "web";
  request.entrypoint = std::vector<std::string>{"/bin/sh", "-c"};
  auto create = build(p, request);
  CHECK(create.config.entrypoint == std::vector<std::string>{"/bin/sh", "-c"});
  REQUIRE(create.config.cmd);
  CHECK(create.config.cmd->empty());  // --entrypoint without a command drops the command

  request.command = std::vector<std::string>{"echo hi"};
  request.env = {"MODE=test", "EXTRA=1", "UNRESOLVED"};
  request.user = "1000";
  request.working_dir = "/tmp";
  create = build(p, request);
  CHECK(create.config.cmd == std::vector<std::string>{"echo hi"});
  const auto& env = create.config.env;
  CHECK(std::count(env.begin(), env.end(), "MODE=test") == 1);
  CHECK(std::count(env.begin(), env.end(), "MODE=prod") == 0);
  CHECK(std::count(env.begin(), env.end(), "EXTRA=1") == 1);
  CHECK(std::none_of(env.begin(), env.end(),
                     [](const auto& e) { return e.rfind("UNRESOLVED", 0) == 0; }));
  CHECK(create.config.user == "1000");
  CHECK(create.config.working_dir == "/tmp");
}

TEST_CASE("stdin, TTY and auto-remove follow the run's mode") {
  const orchestrator::compose::Project p = webProject();
  RunRequest request;
  request.service = "web";
  request.tty = true;
  request.remove = true;
  auto create = build(p, request);
  CHECK(create.config.tty);
  CHECK(create.config.open_stdin);
  CHECK(create.config.attach_stdin);
  CHECK(create.config.stdin_once);
  CHECK_FALSE(create.host_config.auto_remove);  // attached: stack removes it itself

  request.detach = true;
  request.interactive = false;
  request.tty = false;
  create = build(p, request);
  CHECK_FALSE(create.config.tty);
  CHECK_FALSE(create.config.open_stdin);
  CHECK(create.host_config.auto_remove);  // detached: nobody else will
}

TEST_CASE("a one-off container's network alias is its name, unless --use-aliases") {
  const orchestrator::compose::Project p = webProject();
  RunRequest request;
  request.service = "web";
  auto create = build(p, request);
  REQUIRE(create.networks.count("demo_default") == 1);
  CHECK(create.networks.at("demo_default").aliases == std::vector<std::string>{create.name});
  request.use_aliases = true;
  create = build(p, request);
  CHECK(create.networks.at("demo_default").aliases ==
        std::vector<std::string>{create.name, "web", "www"});
}

TEST_CASE("--volume values parse like the short syntax and replace a mount on the same target") {
  const auto volumes = orchestrator::oneoff::parseVolumeFlags(
      {"./data:/data:ro", "cache:/cache", "/anon"}, "/work/here", "/home/me");
  REQUIRE(volumes.size() == 3);
  CHECK(volumes[0].type == "bind");
  CHECK(volumes[0].source == "/work/here/data");
  CHECK(volumes[0].target == "/data");
  CHECK(volumes[0].read_only);
  CHECK(volumes[1].type == "volume");
  CHECK(volumes[1].source == "cache");
  CHECK(volumes[2].source.empty());

  orchestrator::compose::Project p = webProject();
  orchestrator::compose::ServiceVolume old;
  old.type = "volume";
  old.source = "old";
  old.target = "/data";
  p.services.at("web").volumes = {old};
  RunRequest request;
  request.service = "web";
  request.volumes = volumes;
  const orchestrator::compose::Service one = orchestrator::oneoff::oneOffService(p, request);
  REQUIRE(one.volumes.size() == 3);
  CHECK(std::none_of(one.volumes.begin(), one.volumes.end(),
                     [](const auto& v) { return v.source == "old"; }));
}

TEST_CASE("bad --publish and --volume values and unknown services are usage errors") {
  auto kindOf = [](auto operation) {
    try {
      operation();
    } catch (const Error& error) {
      return error.kind();
    }
    return ErrorKind::Internal;
  };
  CHECK(kindOf([] { orchestrator::oneoff::parsePublishFlags({"80:80:80:80"}); }) ==
        ErrorKind::Usage);
  CHECK(kindOf([] { orchestrator::oneoff::parsePublishFlags({"http"}); }) == ErrorKind::Usage);
  CHECK(kindOf([] { orchestrator::oneoff::parseVolumeFlags({""}, "/", "/"); }) == ErrorKind::Usage);
  const orchestrator::compose::Project p = webProject();
  RunRequest request;
  request.service = "nope";
  CHECK(kindOf([&] { orchestrator::oneoff::oneOffService(p, request); }) == ErrorKind::Usage);
}

}  // namespace stack::test
