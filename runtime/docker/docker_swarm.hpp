#pragma once

// The SwarmEngine implementation for dockerd: the Swarm endpoints of Engine API 1.41,
// sent through a DockerEngine's connection (same endpoint, same negotiated version).

#include "runtime/docker/docker_engine.hpp"
#include "runtime/swarm_engine.hpp"

namespace stack::runtime::docker {

class DockerSwarmEngine final : public runtime::SwarmEngine {
 public:
  // `engine` must outlive this object.
  explicit DockerSwarmEngine(DockerEngine& engine) : engine_(engine) {}

  Awaitable<runtime::SwarmInfo> swarmInfo() override;
  Awaitable<std::vector<runtime::SwarmNode>> listNodes() override;
  Awaitable<std::vector<runtime::SwarmService>> listServices(const runtime::ListFilter& filter,
                                                             bool status) override;
  Awaitable<runtime::SwarmService> inspectService(const std::string& id) override;
  Awaitable<runtime::ServiceWriteResult> createService(const nlohmann::json& spec,
                                                       const runtime::RegistryAuth& auth) override;
  Awaitable<runtime::ServiceWriteResult> updateService(const std::string& id, uint64_t version,
                                                       const nlohmann::json& spec,
                                                       const runtime::RegistryAuth& auth) override;
  Awaitable<void> removeService(const std::string& id) override;
  Awaitable<std::vector<runtime::SwarmTask>> listTasks(const runtime::TaskFilter& filter) override;
  Awaitable<std::vector<runtime::SwarmFileObject>> listSecrets(
      const runtime::ListFilter& filter) override;
  Awaitable<std::string> createSecret(const runtime::SwarmFileObjectSpec& spec) override;
  Awaitable<void> removeSecret(const std::string& id) override;
  Awaitable<std::vector<runtime::SwarmFileObject>> listConfigs(
      const runtime::ListFilter& filter) override;
  Awaitable<std::string> createConfig(const runtime::SwarmFileObjectSpec& spec) override;
  Awaitable<void> removeConfig(const std::string& id) override;

 private:
  // A versioned request through the engine; swarm-specific statuses get a hint.
  Awaitable<HttpResponse> call(std::string method, std::string path, std::string body,
                               std::string what, std::vector<std::string> headers = {});
  Awaitable<std::vector<runtime::SwarmFileObject>> listObjects(const std::string& kind,
                                                               const runtime::ListFilter& filter);
  Awaitable<std::string> createObject(const std::string& kind,
                                      const runtime::SwarmFileObjectSpec& spec);

  DockerEngine& engine_;
};

// Readers of the Swarm documents (exposed for the client's unit tests).
runtime::SwarmInfo parseSwarmInfo(const nlohmann::json& info);
runtime::SwarmNode parseSwarmNode(const nlohmann::json& json);
runtime::SwarmService parseSwarmService(const nlohmann::json& json);
runtime::SwarmTask parseSwarmTask(const nlohmann::json& json);
runtime::SwarmFileObject parseSwarmFileObject(const nlohmann::json& json);

}  // namespace stack::runtime::docker
