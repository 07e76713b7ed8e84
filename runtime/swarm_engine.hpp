#pragma once

// The SwarmEngine interface: the Engine API's Swarm endpoints (info, nodes, services,
// tasks, secrets, configs) that `stack deploy` and `stack swarm ...` use. It sits beside
// runtime::Engine rather than inside it, so the container engine and its fake are not
// churned by Swarm. Overlay networks and images stay on runtime::Engine: they are the same
// /networks and /images endpoints.
//
// Implementations: runtime/docker (DockerSwarmEngine, dockerd over HTTP) and runtime/fake
// (FakeSwarmEngine, an in-memory swarm for unit tests).
//
// Specs are the Engine API's own JSON documents (ServiceSpec, API 1.41), as
// `docker service inspect` shows them under "Spec": the converter in swarm/ builds them
// and the engine stores them, so a plan can print exactly what it sends.
//
// Contract common to every method (as runtime/engine.hpp):
// - Coroutines on the caller's io_context; many may be in flight at once.
// - Errors are stack::Error with kind NotFound (404), Conflict (409: a name in use, an
//   object in use), EngineUnavailable, Engine (anything else, including "this node is
//   not a swarm manager", HTTP 503, whose hint says how to make one), Cancelled.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runtime/engine_types.hpp"
#include "runtime/stream.hpp"

namespace stack::runtime {

// This node's view of the swarm (GET /info, "Swarm").
struct SwarmInfo {
  std::string node_id;
  std::string node_address;
  std::string local_node_state;    // inactive|pending|active|error|locked
  bool control_available = false;  // true on a manager: only managers take deploys
  int nodes = 0;                   // known only on a manager
  int managers = 0;
  std::string error;  // the engine's explanation when state is error
};

struct SwarmNode {
  std::string id;
  std::string hostname;
  std::string role;          // manager|worker
  std::string availability;  // active|pause|drain
  std::string state;         // ready|down|unknown|disconnected
  std::string address;
  StringMap labels;  // Spec.Labels, what `node.labels.X` constraints match
};

struct SwarmService {
  std::string id;
  uint64_t version = 0;  // Version.Index: an update must name the version it replaces
  std::string name;
  StringMap labels;          // Spec.Labels
  nlohmann::json spec;       // Spec, as the engine stores it (network targets become ids)
  nlohmann::json endpoint;   // Endpoint: the ports with their assigned published ports
  std::string update_state;  // UpdateStatus.State (updating|paused|completed|rollback_*)
  std::string update_message;
  // ServiceStatus, present when listed with status (docker service ls's REPLICAS).
  std::optional<uint64_t> running_tasks;
  std::optional<uint64_t> desired_tasks;
  std::string created_at;
  std::string updated_at;
};

struct SwarmTask {
  std::string id;
  std::string service_id;
  std::string node_id;
  int slot = 0;               // replicated services; 0 for global ones
  std::string desired_state;  // running|shutdown|ready|accepted|complete
  std::string state;          // new ... pending ... starting|running|complete|failed|
                              // shutdown|rejected|orphaned|remove
  std::string message;        // Status.Message ("started", "scheduler assigned task")
  std::string error;          // Status.Err ("No such image: x", "no suitable node ...")
  std::string timestamp;      // Status.Timestamp, RFC 3339
  std::string container_id;   // Status.ContainerStatus.ContainerID, once it has one
  std::optional<int> exit_code;
  std::string image;               // Spec.ContainerSpec.Image
  std::vector<PortSummary> ports;  // Status.PortStatus: host-mode publishes on its node
};

struct TaskFilter {
  std::vector<std::string> labels;    // "key=value": tasks of services with these labels
  std::vector<std::string> services;  // service ids or names
  std::string desired_state;          // "" = any
  // Only tasks of each service's current spec version (the engine's `_up-to-date`
  // filter): after an update, the old version's tasks are not counted.
  bool up_to_date = false;
};

// A secret or a config as listed (their data is never read back).
struct SwarmFileObject {
  std::string id;
  uint64_t version = 0;
  std::string name;
  StringMap labels;
  std::string created_at;
};

struct SwarmFileObjectSpec {
  std::string name;
  StringMap labels;
  std::string data;    // raw bytes; base64 on the wire
  std::string driver;  // secrets from a driver (then data is empty)
  StringMap driver_options;
  std::string templating;  // template driver ("golang"), or empty
};

struct ServiceWriteResult {
  std::string id;
  std::vector<std::string> warnings;  // the engine's (e.g. "image could not be accessed")
};

class SwarmEngine {
 public:
  virtual ~SwarmEngine() = default;

  // Never fails for a node outside a swarm: local_node_state says "inactive".
  virtual Awaitable<SwarmInfo> swarmInfo() = 0;
  virtual Awaitable<std::vector<SwarmNode>> listNodes() = 0;

  // --- services ------------------------------------------------------------------------
  // `filter.labels` and `filter.names` select; `status` asks for running/desired counts.
  virtual Awaitable<std::vector<SwarmService>> listServices(const ListFilter& filter,
                                                            bool status) = 0;
  virtual Awaitable<SwarmService> inspectService(const std::string& id) = 0;
  // Conflict when the name is in use. `auth` is sent as X-Registry-Auth when not empty,
  // so that nodes can pull from a private registry.
  virtual Awaitable<ServiceWriteResult> createService(const nlohmann::json& spec,
                                                      const RegistryAuth& auth) = 0;
  // Replaces the spec of version `version`; Engine error ("update out of sequence") when
  // the service changed meanwhile. The engine rolls the tasks per Spec.UpdateConfig.
  virtual Awaitable<ServiceWriteResult> updateService(const std::string& id, uint64_t version,
                                                      const nlohmann::json& spec,
                                                      const RegistryAuth& auth) = 0;
  virtual Awaitable<void> removeService(const std::string& id) = 0;
  virtual Awaitable<std::vector<SwarmTask>> listTasks(const TaskFilter& filter) = 0;

  // --- secrets and configs -------------------------------------------------------------
  // Create: Conflict when the name exists. Remove: Conflict while a service uses it.
  virtual Awaitable<std::vector<SwarmFileObject>> listSecrets(const ListFilter& filter) = 0;
  virtual Awaitable<std::string> createSecret(const SwarmFileObjectSpec& spec) = 0;
  virtual Awaitable<void> removeSecret(const std::string& id) = 0;
  virtual Awaitable<std::vector<SwarmFileObject>> listConfigs(const ListFilter& filter) = 0;
  virtual Awaitable<std::string> createConfig(const SwarmFileObjectSpec& spec) = 0;
  virtual Awaitable<void> removeConfig(const std::string& id) = 0;
};

}  // namespace stack::runtime
