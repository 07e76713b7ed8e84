#include "tests/fake/fake_test_support.hpp"

namespace stack::runtime::fake::testing {
namespace {

NetworkCreateRequest network(const std::string& name) {
  NetworkCreateRequest r;
  r.name = name;
  r.labels = {{"com.docker.compose.project", "p"}};
  return r;
}

TEST_CASE("networks: duplicate names conflict and pools come from dockerd's defaults") {
  Fixture f;
  f.run([&]() -> Awaitable<void> {
    const std::string id = co_await f.engine.createNetwork(network("p_default"));
    CHECK(KIND_OF(f.engine.createNetwork(network("p_default"))) == ErrorKind::Conflict);
    const auto details = co_await f.engine.inspectNetwork("p_default");
    CHECK(details.id == id);
    CHECK(details.driver == "bridge");
    REQUIRE(details.ipam_config.size() == 1);
    CHECK(details.ipam_config[0].subnet == "172.18.0.0/16");
    CHECK(details.ipam_config[0].gateway == "172.18.0.1");
    CHECK((co_await f.engine.inspectNetwork(id.substr(0, 12))).name == "p_default");
    auto fixed = network("fixed");
    fixed.ipam_config = {IpamPoolSpec{"10.5.0.0/24", "", "", {}}};
    co_await f.engine.createNetwork(fixed);
    auto overlap = network("overlap");
    overlap.ipam_config = {IpamPoolSpec{"10.5.0.128/25", "", "", {}}};
    CHECK(KIND_OF(f.engine.createNetwork(overlap)) == ErrorKind::Engine);
    ListFilter filter;
    filter.labels = {"com.docker.compose.project=p"};
    CHECK((co_await f.engine.listNetworks(filter)).size() == 2);
    CHECK((co_await f.engine.listNetworks(ListFilter())).size() == 5);  // with bridge/host/none
    CHECK(KIND_OF(f.engine.removeNetwork("bridge")) == ErrorKind::Conflict);
    CHECK(KIND_OF(f.engine.inspectNetwork("nope")) == ErrorKind::NotFound);
  });
  CHECK(eventsOf(f.engine, "network") ==
        std::vector<std::string>{"create p_default", "create fixed"});
}

TEST_CASE("endpoints exist while the container runs - connect before start as compose does") {
  Fixture f;
  f.image("web:1");
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createNetwork(network("front"));
    co_await f.engine.createNetwork(network("back"));
    auto r = request("web", "web:1");
    r.host_config.network_mode = "front";
    r.networks["front"].aliases = {"web"};
    const std::string id = co_await f.engine.createContainer(r);
    EndpointSettings back;
    back.aliases = {"api"};
    co_await f.engine.connectNetwork("back", "web", back);
    auto d = co_await f.engine.inspectContainer("web");
    CHECK(d.networks.size() == 2);
    CHECK(d.networks.at("front").ip_address.empty());
    CHECK((co_await f.engine.inspectNetwork("front")).containers.empty());
    co_await f.engine.removeNetwork("back");  // no active endpoint yet: allowed, like dockerd
    CHECK(KIND_OF(f.engine.startContainer("web")) == ErrorKind::NotFound);
    co_await f.engine.disconnectNetwork("back", "web", false);
    co_await f.engine.startContainer("web");
    d = co_await f.engine.inspectContainer("web");
    CHECK(d.networks.at("front").ip_address == "172.18.0.2");
    CHECK(d.networks.at("front").aliases == std::vector<std::string>{"web", id.substr(0, 12)});
    const auto front = co_await f.engine.inspectNetwork("front");
    REQUIRE(front.containers.count(id) == 1);
    CHECK(front.containers.at(id).ip_address == "172.18.0.2/16");
    CHECK(KIND_OF(f.engine.removeNetwork("front")) == ErrorKind::Conflict);
    CHECK(KIND_OF(f.engine.connectNetwork("front", "web", EndpointSettings())) ==
          ErrorKind::Conflict);
    co_await f.engine.stopContainer("web", 1);
    CHECK((co_await f.engine.inspectContainer("web")).networks.at("front").ip_address.empty());
    co_await f.engine.removeNetwork("front");
  });
}

TEST_CASE("connect to a running container attaches at once - disconnect of a stranger fails") {
  Fixture f;
  f.image("web:1");
  f.run([&]() -> Awaitable<void> {
    co_await f.engine.createNetwork(network("extra"));
    co_await f.engine.createContainer(request("web", "web:1"));
    co_await f.engine.startContainer("web");
    CHECK((co_await f.engine.inspectContainer("web")).networks.at("bridge").ip_address ==
          "172.17.0.2");
    co_await f.engine.connectNetwork("extra", "web", EndpointSettings());
    CHECK_FALSE(
        (co_await f.engine.inspectContainer("web")).networks.at("extra").ip_address.empty());
    co_await f.engine.disconnectNetwork("extra", "web", false);
    CHECK(KIND_OF(f.engine.disconnectNetwork("extra", "web", false)) == ErrorKind::Engine);
    EndpointSettings aliased;
    aliased.aliases = {"nope"};
    CHECK(KIND_OF(f.engine.connectNetwork("bridge", "web", aliased)) == ErrorKind::Engine);
  });
  CHECK(eventsOf(f.engine, "network") == std::vector<std::string>{"create extra", "connect bridge",
                                                                  "connect extra",
                                                                  "disconnect extra"});
}

TEST_CASE("static addresses need a user subnet and must be free") {
  Fixture f;
  f.image("web:1");
  f.run([&]() -> Awaitable<void> {
    auto fixed = network("fixed");
    fixed.ipam_config = {IpamPoolSpec{"10.9.0.0/24", "", "", {}}};
    co_await f.engine.createNetwork(fixed);
    co_await f.engine.createNetwork(network("auto"));
    auto a = request("aa", "web:1");
    a.host_config.network_mode = "fixed";
    a.networks["fixed"].ipv4_address = "10.9.0.50";
    auto b = a;
    b.name = "bb";
    auto c = request("cc", "web:1");
    c.host_config.network_mode = "auto";
    c.networks["auto"].ipv4_address = "172.18.0.9";
    co_await f.engine.createContainer(a);
    co_await f.engine.createContainer(b);
    co_await f.engine.createContainer(c);
    co_await f.engine.startContainer("aa");
    CHECK((co_await f.engine.inspectContainer("aa")).networks.at("fixed").ip_address ==
          "10.9.0.50");
    CHECK(KIND_OF(f.engine.startContainer("bb")) == ErrorKind::Engine);
    CHECK(KIND_OF(f.engine.startContainer("cc")) == ErrorKind::Engine);
  });
}

TEST_CASE("ports: an empty host port is ephemeral - a taken one fails the start") {
  Fixture f;
  f.image("web:1");
  f.run([&]() -> Awaitable<void> {
    auto a = request("aa", "web:1");
    a.config.exposed_ports = {"80/tcp", "9000/tcp"};
    a.host_config.port_bindings["80/tcp"] = {PortBinding{"", "8080"}};
    a.host_config.port_bindings["443/tcp"] = {PortBinding{"127.0.0.1", ""}};
    auto b = request("bb", "web:1");
    b.host_config.port_bindings["80/tcp"] = {PortBinding{"127.0.0.1", "8080"}};
    co_await f.engine.createContainer(a);
    co_await f.engine.createContainer(b);
    co_await f.engine.startContainer("aa");
    const auto d = co_await f.engine.inspectContainer("aa");
    CHECK(d.ports.at("80/tcp")[0].host_port == "8080");
    CHECK(d.ports.at("80/tcp")[0].host_ip == "0.0.0.0");
    CHECK(d.ports.at("443/tcp")[0].host_port == "49153");
    CHECK(d.ports.at("9000/tcp").empty());
    try {
      co_await f.engine.startContainer("bb");
      FAIL("expected the port to be taken");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::Engine);
      CHECK(e.message().find("Bind for 127.0.0.1:8080 failed: port is already allocated") !=
            std::string::npos);
    }
    const auto failed = co_await f.engine.inspectContainer("bb");
    CHECK(failed.state.status == "created");
    CHECK(failed.state.exit_code == 128);
    co_await f.engine.stopContainer("aa", 1);
    co_await f.engine.startContainer("bb");
    ListFilter filter;
    filter.names = {"bb"};
    const auto summary = (co_await f.engine.listContainers(filter)).at(0);
    REQUIRE(summary.ports.size() == 1);
    CHECK(summary.ports[0].public_port == 8080);
    CHECK(summary.ports[0].private_port == 80);
  });
}

TEST_CASE("ports: a host process holding the port fails the start too") {
  Fixture f;
  f.image("web:1");
  f.engine.state().reserveHostPort(5432);
  f.run([&]() -> Awaitable<void> {
    auto r = request("db", "web:1");
    r.host_config.port_bindings["5432/tcp"] = {PortBinding{"", "5432"}};
    co_await f.engine.createContainer(r);
    CHECK(KIND_OF(f.engine.startContainer("db")) == ErrorKind::Engine);
  });
}

}  // namespace
}  // namespace stack::runtime::fake::testing
