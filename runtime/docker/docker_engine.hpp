#pragma once

// The Engine implementation for dockerd (and podman's compatible API) over HTTP: unix
// socket by default, tcp with optional TLS, as DOCKER_HOST says. The API version is
// negotiated with /_ping on first use: min(server, 1.41).

#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "runtime/docker/endpoint.hpp"
#include "runtime/docker/http_client.hpp"
#include "runtime/engine.hpp"

namespace stack::runtime::docker {

class DockerEngine final : public runtime::Engine {
 public:
  DockerEngine(boost::asio::any_io_executor executor, Endpoint endpoint);
  ~DockerEngine() override;

  const Endpoint& endpoint() const { return http_.endpoint(); }

  Awaitable<runtime::EngineInfo> ping() override;
  Awaitable<nlohmann::json> version() override;

  Awaitable<std::string> createContainer(const runtime::ContainerCreateRequest& request) override;
  Awaitable<void> startContainer(const std::string& id) override;
  Awaitable<void> stopContainer(const std::string& id, std::optional<int> timeout_seconds) override;
  Awaitable<void> killContainer(const std::string& id, const std::string& signal) override;
  Awaitable<void> restartContainer(const std::string& id,
                                   std::optional<int> timeout_seconds) override;
  Awaitable<void> pauseContainer(const std::string& id) override;
  Awaitable<void> unpauseContainer(const std::string& id) override;
  Awaitable<void> removeContainer(const std::string& id, runtime::RemoveOptions options) override;
  Awaitable<void> renameContainer(const std::string& id, const std::string& name) override;
  Awaitable<runtime::ContainerDetails> inspectContainer(const std::string& id) override;
  Awaitable<void> copyToContainer(const std::string& id, const std::string& path,
                                  std::shared_ptr<runtime::BodySource> tar) override;
  Awaitable<std::vector<runtime::ContainerSummary>> listContainers(
      const runtime::ListFilter& filter) override;
  Awaitable<runtime::WaitResult> waitContainer(const std::string& id,
                                               runtime::WaitCondition condition) override;
  Awaitable<std::unique_ptr<runtime::OutputStream>> logs(
      const std::string& id, const runtime::LogsOptions& options) override;
  Awaitable<std::unique_ptr<runtime::AttachedStream>> attach(
      const std::string& id, const runtime::AttachOptions& options) override;
  Awaitable<runtime::TopResult> top(const std::string& id, const std::string& ps_args) override;
  Awaitable<void> resizeContainer(const std::string& id, int rows, int columns) override;

  Awaitable<std::string> createExec(const std::string& container_id,
                                    const runtime::ExecSpec& spec) override;
  Awaitable<std::unique_ptr<runtime::AttachedStream>> startExec(
      const std::string& exec_id, const runtime::ExecStartOptions& options) override;
  Awaitable<runtime::ExecDetails> inspectExec(const std::string& exec_id) override;
  Awaitable<void> resizeExec(const std::string& exec_id, int rows, int columns) override;

  Awaitable<std::unique_ptr<runtime::ProgressStream>> buildImage(
      runtime::BuildRequest request) override;
  Awaitable<std::unique_ptr<runtime::ProgressStream>> pullImage(
      const std::string& image, const std::string& tag, const runtime::RegistryAuth& auth) override;
  Awaitable<std::unique_ptr<runtime::ProgressStream>> pushImage(
      const std::string& image, const std::string& tag, const runtime::RegistryAuth& auth) override;
  Awaitable<runtime::ImageDetails> inspectImage(const std::string& reference) override;
  Awaitable<std::vector<runtime::ImageSummary>> listImages(
      const runtime::ListFilter& filter) override;
  Awaitable<void> tagImage(const std::string& source, const std::string& repository,
                           const std::string& tag) override;
  Awaitable<runtime::ImageRemoveResult> removeImage(const std::string& reference,
                                                    bool force) override;

  Awaitable<std::string> createNetwork(const runtime::NetworkCreateRequest& request) override;
  Awaitable<void> connectNetwork(const std::string& network, const std::string& container,
                                 const runtime::EndpointSettings& endpoint) override;
  Awaitable<void> disconnectNetwork(const std::string& network, const std::string& container,
                                    bool force) override;
  Awaitable<runtime::NetworkDetails> inspectNetwork(const std::string& network) override;
  Awaitable<std::vector<runtime::NetworkDetails>> listNetworks(
      const runtime::ListFilter& filter) override;
  Awaitable<void> removeNetwork(const std::string& network) override;

  Awaitable<runtime::VolumeDetails> createVolume(
      const runtime::VolumeCreateRequest& request) override;
  Awaitable<runtime::VolumeDetails> inspectVolume(const std::string& name) override;
  Awaitable<std::vector<runtime::VolumeDetails>> listVolumes(
      const runtime::ListFilter& filter) override;
  Awaitable<void> removeVolume(const std::string& name, bool force) override;

  Awaitable<std::unique_ptr<runtime::EventStream>> events(
      const runtime::EventFilter& filter) override;

 private:
  friend class DockerCall;
  friend class DockerSwarmEngine;  // shares the connection and the negotiated version
  // "/v1.41": the negotiated version prefix for every path.
  Awaitable<std::string> prefix();
  // Sends a versioned request; returns the response for 2xx and 304, throws otherwise.
  Awaitable<HttpResponse> call(std::string method, std::string path, std::string body,
                               std::string what,
                               std::chrono::milliseconds timeout = std::chrono::seconds(60));
  // Opens a versioned stream; throws for an error status (reading the error body first).
  Awaitable<std::unique_ptr<HttpStream>> openStream(HttpRequest request, std::string what);

  HttpClient http_;
  std::optional<runtime::EngineInfo> info_;
};

// Builds the typed stack::Error for an engine error response: 404 NotFound, 409/403
// Conflict, else Engine; podman's 500s are classified by their text. `what` names the
// operation ("create container \"web-1\"").
Error engineError(long status, const std::string& body, const std::string& what);

}  // namespace stack::runtime::docker
