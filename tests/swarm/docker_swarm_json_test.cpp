// The Docker client's readers of Swarm documents, on bodies as dockerd 20.10 sends them.

#include <doctest/doctest.h>

#include "runtime/docker/docker_swarm.hpp"

namespace stack::runtime::docker {
namespace {

TEST_CASE("GET /info: the swarm section, outside a swarm and on a manager") {
  auto outside = parseSwarmInfo(nlohmann::json::parse(
      R"({"Swarm":{"NodeID":"","NodeAddr":"","LocalNodeState":"inactive","ControlAvailable":false,"Error":"","RemoteManagers":null}})"));
  CHECK(outside.local_node_state == "inactive");
  CHECK_FALSE(outside.control_available);
  auto manager = parseSwarmInfo(nlohmann::json::parse(
      R"({"Swarm":{"NodeID":"f2f9","NodeAddr":"127.0.0.1","LocalNodeState":"active","ControlAvailable":true,"Nodes":3,"Managers":1}})"));
  CHECK(manager.control_available);
  CHECK(manager.nodes == 3);
  CHECK(manager.node_address == "127.0.0.1");
  CHECK(parseSwarmInfo(nlohmann::json::object()).local_node_state == "inactive");
}

TEST_CASE("a service: version, labels, spec, endpoint, update and service status") {
  auto service = parseSwarmService(nlohmann::json::parse(R"({
    "ID":"lap80yyr2n4k","Version":{"Index":8226},"CreatedAt":"2026-12-02T13:07:42Z",
    "Spec":{"Name":"demo_db","Labels":{"com.docker.stack.namespace":"demo"},
            "TaskTemplate":{"ContainerSpec":{"Image":"sha256:f581"},"ForceUpdate":0},
            "Mode":{"Replicated":{"Replicas":1}}},
    "Endpoint":{"Ports":[{"Protocol":"tcp","TargetPort":80,"PublishedPort":8080,"PublishMode":"ingress"}]},
    "UpdateStatus":{"State":"paused","Message":"update paused due to failure"},
    "ServiceStatus":{"RunningTasks":0,"DesiredTasks":1}})"));
  CHECK(service.id == "lap80yyr2n4k");
  CHECK(service.version == 8226);
  CHECK(service.name == "demo_db");
  CHECK(service.labels.at("com.docker.stack.namespace") == "demo");
  CHECK(service.spec["Mode"]["Replicated"]["Replicas"] == 1);
  CHECK(service.endpoint["Ports"][0]["PublishedPort"] == 8080);
  CHECK(service.update_state == "paused");
  CHECK(service.running_tasks == std::optional<uint64_t>(0));
  CHECK(service.desired_tasks == std::optional<uint64_t>(1));
  CHECK_FALSE(
      parseSwarmService(nlohmann::json::parse(R"({"ID":"x","Spec":{"Name":"a"}})")).running_tasks);
}

TEST_CASE("a task: states, error, container, exit code, host-mode ports") {
  auto task = parseSwarmTask(nlohmann::json::parse(R"({
    "ID":"dwux","ServiceID":"x49u","NodeID":"f2f9","Slot":1,"DesiredState":"shutdown",
    "Spec":{"ContainerSpec":{"Image":"stack-test/nope:1"}},
    "Status":{"Timestamp":"2026-12-02T13:07:42.285961467Z","State":"rejected",
              "Message":"preparing","Err":"No such image: stack-test/nope:1",
              "ContainerStatus":{"ContainerID":"abc","ExitCode":0},
              "PortStatus":{"Ports":[{"Protocol":"tcp","TargetPort":8080,"PublishedPort":18490,"PublishMode":"host"}]}}})"));
  CHECK(task.id == "dwux");
  CHECK(task.service_id == "x49u");
  CHECK(task.slot == 1);
  CHECK(task.state == "rejected");
  CHECK(task.desired_state == "shutdown");
  CHECK(task.error == "No such image: stack-test/nope:1");
  CHECK(task.image == "stack-test/nope:1");
  CHECK(task.container_id == "abc");
  CHECK(task.exit_code == std::optional<int>(0));
  REQUIRE(task.ports.size() == 1);
  CHECK(task.ports[0].public_port == 18490);
  CHECK(task.ports[0].private_port == 8080);
  CHECK_FALSE(
      parseSwarmTask(nlohmann::json::parse(R"({"ID":"t","Status":{"State":"new"}})")).exit_code);
}

TEST_CASE("nodes, secrets and configs") {
  auto node = parseSwarmNode(nlohmann::json::parse(R"({"ID":"f2f9","Spec":{"Role":"manager",
    "Availability":"active","Labels":{"zone":"a"}},"Description":{"Hostname":"vm"},
    "Status":{"State":"ready","Addr":"127.0.0.1"}})"));
  CHECK(node.hostname == "vm");
  CHECK(node.role == "manager");
  CHECK(node.labels.at("zone") == "a");
  auto secret = parseSwarmFileObject(nlohmann::json::parse(R"({"ID":"s1","Version":{"Index":12},
    "Spec":{"Name":"demo_pw","Labels":{"dev.stack.content-hash":"ab"}}})"));
  CHECK(secret.name == "demo_pw");
  CHECK(secret.version == 12);
  CHECK(secret.labels.at("dev.stack.content-hash") == "ab");
}

}  // namespace
}  // namespace stack::runtime::docker
