#pragma once

// The Engine interface: every engine call the orchestrator makes. One real implementation
// (runtime/docker: Docker Engine API over libcurl) and one in-memory model
// (runtime/fake: FakeEngine) sit behind it. The orchestrator only ever sees this header.
//
// Contract common to every method:
// - All methods are coroutines on the caller's io_context; none blocks the loop, and many
//   may be in flight at once.
// - Errors are thrown as stack::Error with kind:
//     NotFound           the object does not exist (404)
//     Conflict           name in use, object in use, not running (409, 403 for networks)
//     EngineUnavailable  nothing answers at the endpoint; the message names it
//     Engine             anything else the engine reports, with its message
//     Cancelled          the awaiting coroutine was cancelled
// - Idempotent outcomes are not errors: starting a running container, stopping a stopped
//   one (the engine's 304) return normally.
// - Identifiers: container and network methods accept an id or a name.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/engine_types.hpp"
#include "runtime/stream.hpp"

namespace stack::runtime {

class Engine {
 public:
  virtual ~Engine() = default;

  // Negotiates the API version on first use; later calls return the cached answer.
  virtual Awaitable<EngineInfo> ping() = 0;
  // GET /version as JSON (Version, ApiVersion, MinAPIVersion, Os, Arch, Components...).
  virtual Awaitable<nlohmann::json> version() = 0;

  // --- containers ----------------------------------------------------------------------
  // Returns the new container's id. Conflict if the name is in use; NotFound if the
  // image is missing.
  virtual Awaitable<std::string> createContainer(const ContainerCreateRequest& request) = 0;
  virtual Awaitable<void> startContainer(const std::string& id) = 0;
  // Sends the stop signal, then SIGKILL after `timeout_seconds` (engine default: the
  // container's StopTimeout, else 10 s).
  virtual Awaitable<void> stopContainer(const std::string& id,
                                        std::optional<int> timeout_seconds) = 0;
  // Conflict if the container is not running.
  virtual Awaitable<void> killContainer(const std::string& id, const std::string& signal) = 0;
  virtual Awaitable<void> restartContainer(const std::string& id,
                                           std::optional<int> timeout_seconds) = 0;
  virtual Awaitable<void> pauseContainer(const std::string& id) = 0;
  virtual Awaitable<void> unpauseContainer(const std::string& id) = 0;
  virtual Awaitable<void> removeContainer(const std::string& id, RemoveOptions options) = 0;
  virtual Awaitable<void> renameContainer(const std::string& id, const std::string& name) = 0;
  virtual Awaitable<ContainerDetails> inspectContainer(const std::string& id) = 0;
  // Extracts the tar archive `tar` into the directory `path` of the container, which must
  // exist (missing parents of the entries are created). Works on a created container
  // before its start. Fails (kind Engine) when the root filesystem is read-only.
  virtual Awaitable<void> copyToContainer(const std::string& id, const std::string& path,
                                          std::shared_ptr<BodySource> tar) = 0;
  // One list call; `filter.labels` select by label, `filter.all` includes stopped ones.
  virtual Awaitable<std::vector<ContainerSummary>> listContainers(const ListFilter& filter) = 0;
  // Returns when the condition is met. Like every awaitable, the request is sent when the
  // awaitable is first awaited, not when it is created: to learn the exit code of a start,
  // await NotRunning after the start (it answers at once for an exited container).
  virtual Awaitable<WaitResult> waitContainer(const std::string& id, WaitCondition condition) = 0;
  virtual Awaitable<std::unique_ptr<OutputStream>> logs(const std::string& id,
                                                        const LogsOptions& options) = 0;
  virtual Awaitable<std::unique_ptr<AttachedStream>> attach(const std::string& id,
                                                            const AttachOptions& options) = 0;
  virtual Awaitable<TopResult> top(const std::string& id, const std::string& ps_args) = 0;
  // Sets the size of the container's TTY (its process sees SIGWINCH). Conflict if the
  // container is not running; meaningless without Tty.
  virtual Awaitable<void> resizeContainer(const std::string& id, int rows, int columns) = 0;

  // --- exec ----------------------------------------------------------------------------
  // Conflict if the container is not running. Returns the exec id.
  virtual Awaitable<std::string> createExec(const std::string& container_id,
                                            const ExecSpec& spec) = 0;
  // Starts the exec. With options.detach the returned stream is empty and ends at once.
  virtual Awaitable<std::unique_ptr<AttachedStream>> startExec(const std::string& exec_id,
                                                               const ExecStartOptions& options) = 0;
  virtual Awaitable<ExecDetails> inspectExec(const std::string& exec_id) = 0;
  // Sets the size of an exec's TTY. NotFound for an unknown exec; the engine may refuse
  // (Conflict or Engine) while the exec's process has not started yet.
  virtual Awaitable<void> resizeExec(const std::string& exec_id, int rows, int columns) = 0;

  // --- images --------------------------------------------------------------------------
  // The stream carries the build output; a failed step arrives as a message with `error`
  // set (and next() then throws kind Build). The last aux_id is the image id.
  virtual Awaitable<std::unique_ptr<ProgressStream>> buildImage(BuildRequest request) = 0;
  // `tag` must not be empty (an empty tag would pull every tag).
  virtual Awaitable<std::unique_ptr<ProgressStream>> pullImage(const std::string& image,
                                                               const std::string& tag,
                                                               const RegistryAuth& auth) = 0;
  virtual Awaitable<std::unique_ptr<ProgressStream>> pushImage(const std::string& image,
                                                               const std::string& tag,
                                                               const RegistryAuth& auth) = 0;
  // NotFound when the image does not exist locally.
  virtual Awaitable<ImageDetails> inspectImage(const std::string& reference) = 0;
  virtual Awaitable<std::vector<ImageSummary>> listImages(const ListFilter& filter) = 0;
  virtual Awaitable<void> tagImage(const std::string& source, const std::string& repository,
                                   const std::string& tag) = 0;
  // Conflict while a container uses the image and force is false.
  virtual Awaitable<ImageRemoveResult> removeImage(const std::string& reference, bool force) = 0;

  // --- networks ------------------------------------------------------------------------
  // Returns the network id. Conflict if the name exists.
  virtual Awaitable<std::string> createNetwork(const NetworkCreateRequest& request) = 0;
  virtual Awaitable<void> connectNetwork(const std::string& network, const std::string& container,
                                         const EndpointSettings& endpoint) = 0;
  virtual Awaitable<void> disconnectNetwork(const std::string& network,
                                            const std::string& container, bool force) = 0;
  virtual Awaitable<NetworkDetails> inspectNetwork(const std::string& network) = 0;
  virtual Awaitable<std::vector<NetworkDetails>> listNetworks(const ListFilter& filter) = 0;
  // Conflict while containers are attached.
  virtual Awaitable<void> removeNetwork(const std::string& network) = 0;

  // --- volumes -------------------------------------------------------------------------
  // Idempotent: creating an existing volume returns it.
  virtual Awaitable<VolumeDetails> createVolume(const VolumeCreateRequest& request) = 0;
  virtual Awaitable<VolumeDetails> inspectVolume(const std::string& name) = 0;
  virtual Awaitable<std::vector<VolumeDetails>> listVolumes(const ListFilter& filter) = 0;
  // Conflict while a container uses the volume.
  virtual Awaitable<void> removeVolume(const std::string& name, bool force) = 0;

  // --- events --------------------------------------------------------------------------
  // Follows the engine's events until cancelled. The engine sends no heartbeat.
  virtual Awaitable<std::unique_ptr<EventStream>> events(const EventFilter& filter) = 0;
};

}  // namespace stack::runtime
