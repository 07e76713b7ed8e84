// Every engine setting a compose key asks for under API 1.41, created by the real `stack`
// binary and checked with `docker inspect` as the independent observer.

#include <doctest/doctest.h>

#include <filesystem>
#include <functional>
#include <optional>

#include "tests/integration/integration_support.hpp"

namespace stack::test {
namespace {

using nlohmann::json;

// A /24 in 10.0.0.0/8 picked from the project name, so parallel runs rarely collide.
std::string subnetPrefix(const std::string& name) {
  const size_t hash = std::hash<std::string>{}(name);
  return "10." + std::to_string(200 + hash % 50) + "." + std::to_string((hash / 50) % 250) + ".";
}

struct Ports {
  uint16_t single = freePort();
  uint16_t range = freePort(2);
  uint16_t udp = freePort();
};

std::string settingsYaml(const std::string& name, const std::string& net, const Ports& ports) {
  const std::string p1 = std::to_string(ports.single);
  const std::string r1 = std::to_string(ports.range);
  const std::string r2 = std::to_string(ports.range + 1);
  const std::string udp = std::to_string(ports.udp);
  return R"(
services:
  app:
    image: stack-test/busybox:latest
    container_name: )" +
         name + R"(-custom
    hostname: apphost
    entrypoint: ["/bin/sh", "-c"]
    command: ["cat /proc/net/dev > /scratch/ifaces; exec sleep 3600"]
    environment:
      FROM_ENV: "yes"
    env_file: [app.env]
    user: "1000:1000"
    working_dir: /etc
    init: true
    stop_signal: SIGUSR1
    stop_grace_period: 7s
    restart: on-failure:3
    cap_add: [NET_ADMIN]
    cap_drop: [MKNOD]
    ulimits:
      nofile: {soft: 1024, hard: 2048}
      nproc: 65535
    extra_hosts: ["somehost:10.1.2.3"]
    logging:
      driver: json-file
      options: {max-size: 1m, max-file: "2"}
    labels:
      com.example.role: settings
    tmpfs: ["/scratch:size=1m,mode=1777"]
    shm_size: 32m
    mem_limit: 64m
    mem_reservation: 32m
    cpus: 0.5
    cpu_shares: 512
    pids_limit: 100
    read_only: true
    ports:
      - "127.0.0.1:)" +
         p1 + R"(:80"
      - "127.0.0.1:)" +
         r1 + "-" + r2 + R"(:81-82"
      - "83"
      - target: 84
        published: ")" +
         udp + R"("
        host_ip: 127.0.0.1
        protocol: udp
    volumes:
      - data:/data
      - ext:/ext
      - ./host/sub:/bind
      - type: tmpfs
        target: /cache
        tmpfs: {size: 1048576}
    networks:
      front:
        aliases: [frontalias]
        ipv4_address: )" +
         net + R"(10
        priority: 100
      back:
      outside:
    secrets: [token]
    configs:
      - source: conf
        target: /etc/app.conf
  files:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    secrets:
      - source: envtoken
        target: token
        uid: "1000"
        gid: "1001"
        mode: 0400
    configs: [inline]
  plain:
    image: stack-test/busybox:latest
    command: ["sleep", "3600"]
    deploy:
      resources:
        limits: {cpus: "0.25", memory: 32M}
networks:
  front:
    driver: bridge
    attachable: true
    labels: {com.example.net: front}
    ipam:
      config:
        - subnet: )" +
         net + R"(0/24
  back:
    internal: true
  outside:
    external: true
    name: )" +
         name + R"(-outside
volumes:
  data:
    labels: {com.example.vol: data}
    driver_opts: {type: tmpfs, device: tmpfs, o: "size=1m"}
  ext:
    external: true
    name: )" +
         name + R"(-extvol
secrets:
  token: {file: ./token.txt}
  envtoken: {environment: STACK_TEST_TOKEN}
configs:
  conf: {file: ./app.conf}
  inline: {content: "inline=1"}
)";
}

bool hasString(const json& list, const std::string& value) {
  if (!list.is_array()) return false;
  for (const auto& item : list) {
    if (item.is_string() && item.get<std::string>() == value) return true;
  }
  return false;
}

json mountAt(const json& container, const std::string& destination) {
  for (const auto& mount : container["Mounts"]) {
    if (mount.value("Destination", "") == destination) return mount;
  }
  return nullptr;
}

void checkProcessSettings(const json& c) {
  const json& config = c["Config"];
  CHECK(config["Hostname"] == "apphost");
  CHECK(config["Entrypoint"] == json({"/bin/sh", "-c"}));
  CHECK(config["Cmd"] == json({"cat /proc/net/dev > /scratch/ifaces; exec sleep 3600"}));
  CHECK(hasString(config["Env"], "FROM_ENV=yes"));
  CHECK(hasString(config["Env"], "FROM_FILE=yes"));
  CHECK(config["User"] == "1000:1000");
  CHECK(config["WorkingDir"] == "/etc");
  CHECK(config["StopSignal"] == "SIGUSR1");
  CHECK(config["StopTimeout"] == 7);
  CHECK(config["Labels"]["com.example.role"] == "settings");
  const json& host = c["HostConfig"];
  CHECK(host["Init"] == true);
  CHECK(host["RestartPolicy"] == json({{"Name", "on-failure"}, {"MaximumRetryCount", 3}}));
  CHECK(hasString(host["CapAdd"], "NET_ADMIN"));
  CHECK(hasString(host["CapDrop"], "MKNOD"));
  CHECK(host["Ulimits"] == json::parse(R"([{"Hard":2048,"Name":"nofile","Soft":1024},
                                            {"Hard":65535,"Name":"nproc","Soft":65535}])"));
  CHECK(hasString(host["ExtraHosts"], "somehost:10.1.2.3"));
  CHECK(host["LogConfig"]["Type"] == "json-file");
  CHECK(host["LogConfig"]["Config"] == json({{"max-file", "2"}, {"max-size", "1m"}}));
}

void checkResources(const json& host) {
  CHECK(host["Tmpfs"]["/scratch"] == "size=1m,mode=1777");
  CHECK(host["ShmSize"] == 32 * 1024 * 1024);
  CHECK(host["Memory"] == 64 * 1024 * 1024);
  CHECK(host["MemoryReservation"] == 32 * 1024 * 1024);
  CHECK(host["NanoCpus"] == 500000000);
  CHECK(host["CpuShares"] == 512);
  CHECK(host["PidsLimit"] == 100);
  CHECK(host["ReadonlyRootfs"] == true);
}

void checkPorts(const json& c, const Ports& ports) {
  const json& bindings = c["HostConfig"]["PortBindings"];
  auto binding = [](const std::string& ip, uint16_t port) {
    return json::array({{{"HostIp", ip}, {"HostPort", std::to_string(port)}}});
  };
  CHECK(bindings["80/tcp"] == binding("127.0.0.1", ports.single));
  CHECK(bindings["81/tcp"] == binding("127.0.0.1", ports.range));
  CHECK(bindings["82/tcp"] == binding("127.0.0.1", ports.range + 1));
  CHECK(bindings["84/udp"] == binding("127.0.0.1", ports.udp));
  CHECK(bindings["83/tcp"] == json::array({{{"HostIp", ""}, {"HostPort", ""}}}));
  // The ephemeral port got a real host port when the container started.
  const json& live = c["NetworkSettings"]["Ports"]["83/tcp"];
  REQUIRE(live.is_array());
  REQUIRE_FALSE(live.empty());
  CHECK(std::stoi(live[0]["HostPort"].get<std::string>()) > 0);
}

void checkStorage(const TestProject& project, const json& c) {
  const std::string name = project.name();
  const json data = mountAt(c, "/data");
  CHECK(data["Type"] == "volume");
  CHECK(data["Name"] == name + "_data");
  CHECK(mountAt(c, "/ext")["Name"] == name + "-extvol");
  const json bind = mountAt(c, "/bind");
  CHECK(bind["Type"] == "bind");
  CHECK(bind["Source"] == project.dir() + "/host/sub");
  CHECK(std::filesystem::is_directory(project.dir() + "/host/sub"));
  CHECK(mountAt(c, "/cache")["Type"] == "tmpfs");
  const json secret = mountAt(c, "/run/secrets/token");
  CHECK(secret["Source"] == project.dir() + "/token.txt");
  CHECK(secret["RW"] == false);
  CHECK(mountAt(c, "/etc/app.conf")["Source"] == project.dir() + "/app.conf");

  const json volume = inspect(name + "_data", "volume");
  REQUIRE(volume.is_object());
  CHECK(volume["Labels"]["com.example.vol"] == "data");
  CHECK(volume["Labels"]["com.docker.compose.project"] == name);
  CHECK(volume["Options"] == json({{"device", "tmpfs"}, {"o", "size=1m"}, {"type", "tmpfs"}}));
}

void checkNetworks(const std::string& name, const std::string& net, const json& c) {
  const json& networks = c["NetworkSettings"]["Networks"];
  CHECK(networks.size() == 3);
  const json& front = networks[name + "_front"];
  CHECK(front["IPAMConfig"]["IPv4Address"] == net + "10");
  CHECK(front["IPAddress"] == net + "10");
  CHECK(hasString(front["Aliases"], "app"));
  CHECK(hasString(front["Aliases"], "frontalias"));
  CHECK(networks.contains(name + "_back"));
  CHECK(networks.contains(name + "-outside"));

  const json front_network = inspect(name + "_front", "network");
  REQUIRE(front_network.is_object());
  CHECK(front_network["Driver"] == "bridge");
  CHECK(front_network["Attachable"] == true);
  CHECK(front_network["Internal"] == false);
  CHECK(front_network["Labels"]["com.example.net"] == "front");
  CHECK(front_network["IPAM"]["Config"][0]["Subnet"] == net + "0/24");
  CHECK(inspect(name + "_back", "network")["Internal"] == true);
}

}  // namespace

TEST_CASE(
    "every compose key's engine setting lands in the container and its networks and volumes") {
  requireEngine();
  // Declared first, so they are removed after the project's cleanup has detached them.
  std::optional<ExternalObject> outside;
  std::optional<ExternalObject> extvol;
  TestProject project("services: {}\n", "set");
  const std::string name = project.name();
  const std::string net = subnetPrefix(name);
  const Ports ports;
  outside.emplace("network", name + "-outside");
  extvol.emplace("volume", name + "-extvol");
  project.writeFile("compose.yaml", settingsYaml(name, net, ports));
  project.writeFile("app.env", "FROM_FILE=yes\n");
  project.writeFile("token.txt", "s3cret");
  project.writeFile("app.conf", "conf=1\n");

  auto up = project.stack({"up", "-d"}, {.env = {{"STACK_TEST_TOKEN", "from-env"}}});
  REQUIRE_MESSAGE(up.exit_code == 0, up.err);
  const json app = inspect(name + "-custom");
  REQUIRE(app.is_object());
  CHECK(app["State"]["Running"] == true);
  checkProcessSettings(app);
  checkResources(app["HostConfig"]);
  checkPorts(app, ports);
  checkStorage(project, app);
  checkNetworks(name, net, app);

  // Every network was connected before the process started: it saw three interfaces.
  auto interfaces = project.docker({"exec", name + "-custom", "cat", "/scratch/ifaces"});
  CAPTURE(interfaces.err);
  CHECK(contains(interfaces.out, "eth0"));
  CHECK(contains(interfaces.out, "eth1"));
  CHECK(contains(interfaces.out, "eth2"));
  CHECK(project.docker({"exec", name + "-custom", "cat", "/run/secrets/token"}).out == "s3cret");
  CHECK(project.docker({"exec", name + "-custom", "cat", "/etc/app.conf"}).out == "conf=1\n");

  // Secrets and configs from the environment or inline are copied in, owner and mode kept.
  const std::string files = name + "-files-1";
  auto token = project.docker({"exec", files, "stat", "-c", "%a %u %g", "/run/secrets/token"});
  CHECK(lines(token.out) == std::vector<std::string>{"400 1000 1001"});
  CHECK(project.docker({"exec", files, "cat", "/run/secrets/token"}).out == "from-env");
  CHECK(project.docker({"exec", files, "cat", "/inline"}).out == "inline=1");
  CHECK(lines(project.docker({"exec", files, "stat", "-c", "%a", "/inline"}).out) ==
        std::vector<std::string>{"444"});

  const json plain = inspect(name + "-plain-1");
  REQUIRE(plain.is_object());
  CHECK(plain["HostConfig"]["Memory"] == 32 * 1024 * 1024);
  CHECK(plain["HostConfig"]["NanoCpus"] == 250000000);
  CHECK(plain["NetworkSettings"]["Networks"].contains(name + "_default"));
  CHECK(inspect(name + "_default", "network")["Labels"]["com.docker.compose.network"] == "default");

  // down leaves external resources alone.
  auto down = project.stack({"down", "-v", "-t", "1"});
  REQUIRE_MESSAGE(down.exit_code == 0, down.err);
  CHECK(inspect(name + "-outside", "network").is_object());
  CHECK(inspect(name + "-extvol", "volume").is_object());
  CHECK(inspect(name + "_front", "network").is_null());
  CHECK(inspect(name + "_data", "volume").is_null());
}

}  // namespace stack::test
