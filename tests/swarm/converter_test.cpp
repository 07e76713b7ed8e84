// The converter, key by key: compose text in, Engine API ServiceSpec out (tables).

#include "swarm/converter.hpp"

#include <doctest/doctest.h>

#include "core/error.hpp"
#include "tests/swarm/swarm_test_support.hpp"

namespace stack::swarm {
namespace {

using testing::load;

StackSpec convertText(const std::string& yaml, ConvertInputs inputs = {}) {
  return convert(load(yaml), inputs);
}

const ServiceSpec& serviceOf(const StackSpec& stack, const std::string& key) {
  for (const auto& s : stack.services) {
    if (s.key == key) return s;
  }
  FAIL("no service " << key);
  return stack.services.front();
}

Json specOf(const std::string& yaml, const std::string& key = "web") {
  return serviceOf(convertText(yaml), key).spec;
}

const Json& container(const Json& spec) {
  return spec["TaskTemplate"]["ContainerSpec"];
}

std::string configErrorPath(const std::string& yaml) {
  try {
    convertText(yaml);
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::Config);
    return error.location().key_path;
  }
  FAIL("no error");
  return "";
}

bool hasFinding(const StackSpec& stack, const std::string& service, const std::string& key,
                FindingAction action) {
  for (const auto& f : stack.findings) {
    if (f.service == service && f.key == key && f.action == action) return true;
  }
  return false;
}

TEST_CASE("a plain service: names, labels, process and the default overlay network") {
  const StackSpec stack = convertText(R"(
services:
  web:
    image: app:1
    command: ["serve", "--port", "80"]
    entrypoint: ["/entry"]
    environment: {B: "2", A: "1"}
    labels: {tier: front}
    working_dir: /srv
    user: "1000"
    hostname: web1
    stop_grace_period: 3s
    init: true
)");
  REQUIRE(stack.services.size() == 1);
  const ServiceSpec& web = stack.services[0];
  CHECK(web.name == "demo_web");
  CHECK(web.image == "app:1");
  const Json& spec = web.spec;
  CHECK(spec["Name"] == "demo_web");
  CHECK(spec["Labels"]["com.docker.stack.namespace"] == "demo");
  CHECK(spec["Labels"]["com.docker.stack.image"] == "app:1");
  const Json& c = container(spec);
  CHECK(c["Image"] == "app:1");
  CHECK(c["Command"] == Json::array({"/entry"}));
  CHECK(c["Args"] == Json::array({"serve", "--port", "80"}));
  CHECK(c["Env"] == Json::array({"A=1", "B=2"}));
  CHECK(c["Labels"]["tier"] == "front");
  CHECK(c["Labels"]["com.docker.stack.namespace"] == "demo");
  CHECK(c["Dir"] == "/srv");
  CHECK(c["User"] == "1000");
  CHECK(c["Hostname"] == "web1");
  CHECK(c["StopGracePeriod"] == 3000000000LL);
  CHECK(c["Init"] == true);
  CHECK(spec["Mode"] == Json({{"Replicated", {{"Replicas", 1}}}}));
  CHECK(spec["TaskTemplate"]["Networks"] ==
        Json::array({{{"Target", "demo_default"}, {"Aliases", {"web"}}}}));
  REQUIRE(stack.networks.size() == 1);
  CHECK(stack.networks[0].name == "demo_default");
  CHECK(stack.networks[0].create.driver == "overlay");
  CHECK(stack.networks[0].create.labels.at("com.docker.stack.namespace") == "demo");
  CHECK(stack.findings.empty());
}

TEST_CASE("the pinned image runs, the label keeps the image as written") {
  ConvertInputs inputs;
  inputs.images["web"] = "sha256:abc";
  const Json spec = serviceOf(convertText("services: {web: {image: app:1}}", inputs), "web").spec;
  CHECK(container(spec)["Image"] == "sha256:abc");
  CHECK(spec["Labels"]["com.docker.stack.image"] == "app:1");
}

TEST_CASE("environment entries without a value come from the deploying shell, or are left out") {
  ConvertInputs inputs;
  inputs.environment = [](const std::string& name) -> std::optional<std::string> {
    if (name == "TOKEN") return std::string("t0k");
    return std::nullopt;
  };
  const StackSpec stack =
      convertText("services: {web: {image: a, environment: [TOKEN, MISSING, X=1]}}", inputs);
  CHECK(container(stack.services[0].spec)["Env"] == Json::array({"TOKEN=t0k", "X=1"}));
}

TEST_CASE("deploy.mode and replicas") {
  struct Row {
    const char* deploy;
    Json mode;
  };
  const Row rows[] = {
      {"{replicas: 3}", {{"Replicated", {{"Replicas", 3}}}}},
      {"{mode: replicated}", {{"Replicated", {{"Replicas", 1}}}}},
      {"{mode: global}", {{"Global", Json::object()}}},
      {"{mode: global-job}", {{"GlobalJob", Json::object()}}},
      {"{mode: replicated-job, replicas: 2}",
       {{"ReplicatedJob", {{"MaxConcurrent", 2}, {"TotalCompletions", 2}}}}},
  };
  for (const Row& row : rows) {
    CAPTURE(row.deploy);
    CHECK(specOf(std::string("services: {web: {image: a, deploy: ") + row.deploy + "}}")["Mode"] ==
          row.mode);
  }
  CHECK(configErrorPath("services: {web: {image: a, deploy: {mode: global, replicas: 2}}}") ==
        "services.web.deploy.replicas");
  CHECK(configErrorPath("services: {web: {image: a, deploy: {mode: daemonset}}}") ==
        "services.web.deploy.mode");
}

TEST_CASE("scale becomes replicas when deploy.replicas is unset") {
  const StackSpec stack = convertText("services: {web: {image: a, scale: 4}}");
  CHECK(stack.services[0].spec["Mode"]["Replicated"]["Replicas"] == 4);
  CHECK(hasFinding(stack, "web", "scale", FindingAction::Converted));
}

TEST_CASE("deploy.resources, and the service-level keys that fill them") {
  const Json spec = specOf(R"(
services:
  web:
    image: a
    deploy:
      resources:
        limits: {cpus: "0.5", memory: 512M, pids: 100}
        reservations:
          cpus: "0.25"
          memory: 64M
          generic_resources: [{discrete_resource_spec: {kind: gpu, value: 2}}]
)");
  const Json& r = spec["TaskTemplate"]["Resources"];
  CHECK(r["Limits"] ==
        Json({{"NanoCPUs", 500000000}, {"MemoryBytes", 512LL << 20}, {"Pids", 100}}));
  CHECK(r["Reservations"]["NanoCPUs"] == 250000000);
  CHECK(r["Reservations"]["MemoryBytes"] == 64LL << 20);
  CHECK(r["Reservations"]["GenericResources"] ==
        Json::array({{{"DiscreteResourceSpec", {{"Kind", "gpu"}, {"Value", 2}}}}}));

  const StackSpec legacy = convertText("services: {web: {image: a, mem_limit: 1g, cpus: 2}}");
  const Json& limits = legacy.services[0].spec["TaskTemplate"]["Resources"]["Limits"];
  CHECK(limits["MemoryBytes"] == 1LL << 30);
  CHECK(limits["NanoCPUs"] == 2000000000LL);
  CHECK(hasFinding(legacy, "web", "mem_limit", FindingAction::Converted));
  CHECK(hasFinding(legacy, "web", "cpus", FindingAction::Converted));
}

TEST_CASE("restart becomes the restart policy when deploy.restart_policy is unset") {
  struct Row {
    const char* restart;
    Json policy;
  };
  const Row rows[] = {
      {"\"no\"", {{"Condition", "none"}}},
      {"always", {{"Condition", "any"}}},
      {"unless-stopped", {{"Condition", "any"}}},
      {"on-failure", {{"Condition", "on-failure"}}},
      {"on-failure:3", {{"Condition", "on-failure"}, {"MaxAttempts", 3}}},
  };
  for (const Row& row : rows) {
    CAPTURE(row.restart);
    const StackSpec stack =
        convertText(std::string("services: {web: {image: a, restart: ") + row.restart + "}}");
    CHECK(stack.services[0].spec["TaskTemplate"]["RestartPolicy"] == row.policy);
    CHECK(hasFinding(stack, "web", "restart", FindingAction::Converted));
  }
  const StackSpec both = convertText(R"(
services:
  web:
    image: a
    restart: always
    deploy: {restart_policy: {condition: on-failure, delay: 5s, max_attempts: 2, window: 1m}}
)");
  CHECK(both.services[0].spec["TaskTemplate"]["RestartPolicy"] ==
        Json({{"Condition", "on-failure"},
              {"Delay", 5000000000LL},
              {"MaxAttempts", 2},
              {"Window", 60000000000LL}}));
  CHECK(hasFinding(both, "web", "restart", FindingAction::Ignored));
}

TEST_CASE("placement, update_config and rollback_config") {
  const Json spec = specOf(R"(
services:
  web:
    image: a
    deploy:
      placement:
        constraints: [node.role == manager]
        preferences: [{spread: node.labels.zone}]
        max_replicas_per_node: 2
      update_config: {parallelism: 2, delay: 10s, order: start-first, failure_action: rollback,
                      monitor: 5s, max_failure_ratio: 0.5}
      rollback_config: {parallelism: 0}
)");
  CHECK(spec["TaskTemplate"]["Placement"] ==
        Json({{"Constraints", {"node.role == manager"}},
              {"Preferences", {{{"Spread", {{"SpreadDescriptor", "node.labels.zone"}}}}}},
              {"MaxReplicas", 2}}));
  CHECK(spec["UpdateConfig"] == Json({{"Parallelism", 2},
                                      {"Delay", 10000000000LL},
                                      {"Order", "start-first"},
                                      {"FailureAction", "rollback"},
                                      {"Monitor", 5000000000LL},
                                      {"MaxFailureRatio", 0.5}}));
  CHECK(spec["RollbackConfig"] == Json({{"Parallelism", 0}}));
  CHECK(configErrorPath("services: {web: {image: a, deploy: {update_config: {order: random}}}}") ==
        "services.web.deploy.update_config.order");
  CHECK(configErrorPath("services: {web: {image: a, deploy: {update_config: {delay: soon}}}}") ==
        "services.web.deploy.update_config.delay");
}

TEST_CASE("ports in ingress and host mode, and the endpoint mode") {
  const StackSpec stack = convertText(R"(
services:
  web:
    image: a
    ports:
      - "8080:80"
      - {target: 443, published: "8443", mode: host, protocol: tcp}
      - "127.0.0.1:9000:9000/udp"
)");
  const Json& endpoint = stack.services[0].spec["EndpointSpec"];
  CHECK(endpoint["Ports"] == Json::array({{{"Protocol", "tcp"},
                                           {"TargetPort", 80},
                                           {"PublishMode", "ingress"},
                                           {"PublishedPort", 8080}},
                                          {{"Protocol", "tcp"},
                                           {"TargetPort", 443},
                                           {"PublishMode", "host"},
                                           {"PublishedPort", 8443}},
                                          {{"Protocol", "udp"},
                                           {"TargetPort", 9000},
                                           {"PublishMode", "ingress"},
                                           {"PublishedPort", 9000}}}));
  CHECK_FALSE(endpoint.contains("Mode"));
  CHECK(hasFinding(stack, "web", "ports[2].host_ip", FindingAction::Ignored));
  const Json dnsrr = specOf(
      "services: {web: {image: a, deploy: {endpoint_mode: dnsrr}, ports: [{target: 80, "
      "published: \"80\", mode: host}]}}");
  CHECK(dnsrr["EndpointSpec"]["Mode"] == "dnsrr");
  CHECK(configErrorPath(
            "services: {web: {image: a, deploy: {endpoint_mode: dnsrr}, ports: [\"80:80\"]}}") ==
        "services.web.ports[0]");
}

TEST_CASE("volumes become mounts: named, external, bind, tmpfs") {
  const StackSpec stack = convertText(R"(
services:
  web:
    image: a
    volumes:
      - data:/data
      - shared:/shared:ro
      - /srv/www:/www
      - {type: tmpfs, target: /cache, tmpfs: {size: 1048576}}
    tmpfs: ["/run:size=64m"]
volumes:
  data: {driver: local, labels: {keep: "yes"}}
  shared: {external: true, name: team-shared}
)");
  const Json& mounts = container(stack.services[0].spec)["Mounts"];
  REQUIRE(mounts.size() == 5);
  CHECK(mounts[0] ==
        Json({{"Type", "volume"},
              {"Target", "/data"},
              {"Source", "demo_data"},
              {"VolumeOptions",
               {{"Labels", {{"com.docker.stack.namespace", "demo"}, {"keep", "yes"}}},
                {"DriverConfig", {{"Name", "local"}, {"Options", Json::object()}}}}}}));
  CHECK(mounts[1] == Json({{"Type", "volume"},
                           {"Target", "/shared"},
                           {"Source", "team-shared"},
                           {"ReadOnly", true}}));
  CHECK(mounts[2] == Json({{"Type", "bind"}, {"Target", "/www"}, {"Source", "/srv/www"}}));
  CHECK(
      mounts[3] ==
      Json({{"Type", "tmpfs"}, {"Target", "/cache"}, {"TmpfsOptions", {{"SizeBytes", 1048576}}}}));
  CHECK(
      mounts[4] ==
      Json({{"Type", "tmpfs"}, {"Target", "/run"}, {"TmpfsOptions", {{"SizeBytes", 64LL << 20}}}}));
  CHECK(hasFinding(stack, "web", "volumes[2]", FindingAction::Ignored));
  CHECK(hasFinding(stack, "web", "tmpfs", FindingAction::Converted));
}

TEST_CASE("healthcheck goes into the container spec") {
  const Json check = container(specOf(R"(
services:
  web:
    image: a
    healthcheck: {test: ["CMD", "true"], interval: 2s, timeout: 1s, retries: 3, start_period: 5s}
)"))["Healthcheck"];
  CHECK(check == Json({{"Test", {"CMD", "true"}},
                       {"Interval", 2000000000LL},
                       {"Timeout", 1000000000LL},
                       {"Retries", 3},
                       {"StartPeriod", 5000000000LL}}));
  CHECK(container(
            specOf("services: {web: {image: a, healthcheck: {disable: true}}}"))["Healthcheck"] ==
        Json({{"Test", {"NONE"}}}));
}

TEST_CASE("identity and networking keys Swarm carries") {
  const Json c = container(specOf(R"(
services:
  web:
    image: a
    extra_hosts: ["db.local=10.0.0.5"]
    dns: [1.1.1.1]
    dns_search: [corp]
    dns_opt: [ndots:2]
    cap_add: [NET_ADMIN]
    cap_drop: [ALL]
    sysctls: {net.core.somaxconn: "1024"}
    ulimits: {nofile: {soft: 100, hard: 200}}
    group_add: [audio]
    read_only: true
    stop_signal: SIGINT
    tty: true
    stdin_open: true
)"));
  CHECK(c["Hosts"] == Json::array({"10.0.0.5 db.local"}));
  CHECK(c["DNSConfig"] ==
        Json({{"Nameservers", {"1.1.1.1"}}, {"Search", {"corp"}}, {"Options", {"ndots:2"}}}));
  CHECK(c["CapabilityAdd"] == Json::array({"NET_ADMIN"}));
  CHECK(c["CapabilityDrop"] == Json::array({"ALL"}));
  CHECK(c["Sysctls"]["net.core.somaxconn"] == "1024");
  CHECK(c["Ulimits"] == Json::array({{{"Name", "nofile"}, {"Soft", 100}, {"Hard", 200}}}));
  CHECK(c["Groups"] == Json::array({"audio"}));
  CHECK(c["ReadOnly"] == true);
  CHECK(c["StopSignal"] == "SIGINT");
  CHECK(c["TTY"] == true);
  CHECK(c["OpenStdin"] == true);
}

TEST_CASE("logging becomes the task's log driver") {
  const Json spec =
      specOf("services: {web: {image: a, logging: {driver: json-file, options: {max-size: 1m}}}}");
  CHECK(spec["TaskTemplate"]["LogDriver"] ==
        Json({{"Name", "json-file"}, {"Options", {{"max-size", "1m"}}}}));
}

TEST_CASE("networks: overlay by default, bridge converted, external ones checked not created") {
  const StackSpec stack = convertText(R"(
services:
  web:
    image: a
    networks:
      front: {aliases: [www]}
      back: {}
      shared: {}
networks:
  front: {attachable: true}
  back: {driver: bridge, internal: true}
  shared: {external: true, name: corp-net}
  unused: {}
)");
  const Json& attachments = stack.services[0].spec["TaskTemplate"]["Networks"];
  CHECK(attachments == Json::array({{{"Target", "corp-net"}, {"Aliases", {"web"}}},
                                    {{"Target", "demo_back"}, {"Aliases", {"web"}}},
                                    {{"Target", "demo_front"}, {"Aliases", {"www", "web"}}}}));
  REQUIRE(stack.networks.size() == 3);  // back, front, shared; not "unused"
  CHECK(stack.networks[0].name == "demo_back");
  CHECK(stack.networks[0].create.driver == "overlay");
  CHECK(stack.networks[0].create.internal);
  CHECK(stack.networks[1].create.attachable);
  CHECK(stack.networks[2].external);
  CHECK(hasFinding(stack, "", "networks.back.driver", FindingAction::Converted));
}

TEST_CASE("network_mode host joins the predefined host network") {
  const StackSpec stack = convertText("services: {web: {image: a, network_mode: host}}");
  CHECK(stack.services[0].spec["TaskTemplate"]["Networks"] == Json::array({{{"Target", "host"}}}));
  CHECK(stack.networks.empty());
  CHECK(hasFinding(stack, "web", "network_mode", FindingAction::Converted));
  const StackSpec other =
      convertText("services: {db: {image: a}, web: {image: a, network_mode: \"service:db\"}}");
  CHECK(serviceOf(other, "web").spec["TaskTemplate"]["Networks"][0]["Target"] == "demo_default");
  CHECK(hasFinding(other, "web", "network_mode", FindingAction::Ignored));
}

TEST_CASE("secrets and configs from file, environment and content, with the project prefix") {
  ConvertInputs inputs;
  inputs.secret_data = {{"key", "s3cret"}, {"token", "from-env"}};
  inputs.config_data = {{"site", "server {}"}};
  const StackSpec stack = convertText(R"(
services:
  web:
    image: a
    secrets: [key, {source: token, target: api-token, uid: "100", mode: 0400}, corp]
    configs: [{source: site, target: /etc/site.conf}]
secrets:
  key: {file: ./key.txt}
  token: {environment: TOKEN}
  corp: {external: true}
  unused: {file: ./unused.txt}
configs:
  site: {content: "server {}"}
)",
                                      inputs);
  const Json& c = container(stack.services[0].spec);
  CHECK(
      c["Secrets"] ==
      Json::array({{{"File", {{"Name", "corp"}, {"UID", "0"}, {"GID", "0"}, {"Mode", 0444}}},
                    {"SecretName", "corp"}},
                   {{"File", {{"Name", "key"}, {"UID", "0"}, {"GID", "0"}, {"Mode", 0444}}},
                    {"SecretName", "demo_key"}},
                   {{"File", {{"Name", "api-token"}, {"UID", "100"}, {"GID", "0"}, {"Mode", 0400}}},
                    {"SecretName", "demo_token"}}}));
  CHECK(c["Configs"] ==
        Json::array(
            {{{"File", {{"Name", "/etc/site.conf"}, {"UID", "0"}, {"GID", "0"}, {"Mode", 0444}}},
              {"ConfigName", "demo_site"}}}));
  REQUIRE(stack.secrets.size() == 2);
  CHECK(stack.secrets[0].name == "demo_key");
  CHECK(stack.secrets[0].spec.data == "s3cret");
  CHECK(stack.secrets[0].spec.labels.at("com.docker.stack.namespace") == "demo");
  CHECK(stack.secrets[0].spec.labels.at("dev.stack.content-hash") == stack.secrets[0].content_hash);
  CHECK(stack.secrets[1].spec.data == "from-env");
  CHECK(stack.external_secrets == std::vector<std::string>{"corp"});
  REQUIRE(stack.configs.size() == 1);
  CHECK(stack.configs[0].spec.data == "server {}");
  ConvertInputs changed = inputs;
  changed.secret_data["key"] = "other";
  CHECK(convert(load(R"(
services: {web: {image: a, secrets: [key]}}
secrets: {key: {file: ./key.txt}}
)"),
                changed)
            .secrets[0]
            .content_hash != stack.secrets[0].content_hash);
}

TEST_CASE("the dropped-keys report: build, container_name, depends_on and friends") {
  const StackSpec stack = convertText(R"(
services:
  db:
    image: postgres:16
  web:
    build: .
    container_name: my-web
    depends_on:
      db: {condition: service_healthy}
    links: [db]
    privileged: true
    devices: ["/dev/fuse:/dev/fuse"]
    expose: ["80"]
)");
  CHECK(hasFinding(stack, "web", "build", FindingAction::Done));
  CHECK(hasFinding(stack, "web", "container_name", FindingAction::Ignored));
  CHECK(hasFinding(stack, "web", "depends_on.db", FindingAction::Ignored));
  CHECK(hasFinding(stack, "web", "links", FindingAction::Ignored));
  CHECK(hasFinding(stack, "web", "privileged", FindingAction::Ignored));
  CHECK(hasFinding(stack, "web", "devices", FindingAction::Ignored));
  CHECK(hasFinding(stack, "web", "expose", FindingAction::Ignored));
  for (const auto& f : stack.findings) CHECK(f.service != "db");
  CHECK(serviceOf(stack, "web").image == "demo-web");  // what it builds
  bool healthy_named = false;
  for (const auto& f : stack.findings) {
    if (f.key == "depends_on.db") healthy_named = f.detail.find("healthy") != std::string::npos;
  }
  CHECK(healthy_named);
}

}  // namespace
}  // namespace stack::swarm
