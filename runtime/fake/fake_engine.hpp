#pragma once

// FakeEngine: an in-memory model of dockerd (Engine API 1.41, docker 20.10) behind the
// Engine interface, for the orchestrator's unit tests. It is a model, not a recorder:
// containers, networks, volumes, images, execs and events follow dockerd's rules and
// status codes (see runtime/engine.hpp and docs in /work/shared/reference/engine-api.md),
// and scripted "processes" run inside containers on a FakeClock.
//
// The Engine methods are the orchestrator's view. Everything a test needs besides them
// sits behind accessors that the orchestrator never sees:
//   clock()     model time: scaled real time (default) or advanced by hand
//   scripts()   how processes, health, execs and builds behave
//   faults()    failures and delays of the next calls; engine availability
//   registry()  images a pull can get; pushes land there
//   calls()     every call received, in order
//   state()     direct reads of the model and world-side actions (a process crashes)
//
// Example (names are variables on purpose: g++ 12 destroys a braced aggregate temporary
// twice when it is an argument of a co_awaited call, so never write `co_await
// engine.createContainer({...})` or `engine.listContainers({})`):
//
//   boost::asio::io_context io;
//   FakeEngine engine(io.get_executor());
//   FakeImage image;
//   image.tags = {"job:1"};
//   image.config.cmd = std::vector<std::string>{"run-job"};
//   engine.state().addImage(image);
//   ProcessScript script;
//   script.exit_after = 5s;  // model time: 5 ms of real time at the default speed
//   script.exit_code = 3;
//   engine.scripts().process("job:1", script);
//   co_spawn(io, [&]() -> Awaitable<void> {
//     ContainerCreateRequest request;
//     request.name = "job";
//     request.config.image = "job:1";
//     const std::string id = co_await engine.createContainer(request);
//     co_await engine.startContainer(id);
//     const WaitResult result = co_await engine.waitContainer(id, WaitCondition::NotRunning);
//     assert(result.status_code == 3);
//     assert(engine.calls().mutations() ==
//            std::vector<std::string>{"createContainer job", "startContainer job"});
//   }, boost::asio::detached);
//   io.run_for(1s);  // the engine keeps timers for running processes: do not io.run()
//
// Threading: everything runs on the executor's single thread.
//
// Known differences from dockerd 20.10 (deliberate simplifications):
// - Image VOLUMEs are not modelled (ContainerConfig has no Volumes), and bind-mount
//   sources are not checked against the host filesystem.
// - Ephemeral host ports count up from 49153; bindings are IPv4 only (no "::" entries).
// - Builds interpret a Dockerfile subset (config instructions, COPY/ADD source checks);
//   RUN creates no intermediate containers or events, .dockerignore is not re-applied,
//   and an unchanged build gets the same id without "Using cache" lines.
// - Build, pull and push progress advances as the client reads it, and stops when the
//   client drops the stream. Pull/push in-band errors make next() throw kind Engine.
// - Non-terminating signals sent to a paused container are lost.
// - Exec output is produced when the exec starts; exec stdin is recorded, not consumed.
// - `since`/`until` take unix seconds[.nanos] or RFC 3339, not relative durations;
//   timeNano is strictly increasing. Logs `tail` counts after stream selection.
// - No "removing" state, OOM, resource limits, swarm or podman behaviour; `top` ignores
//   ps_args; inspect `raw` carries a subset of dockerd's fields.
// - Connecting a running container twice is Conflict (dockerd: 403); disconnecting one
//   that is not connected is Engine (dockerd: 500).
// - Names of unnamed containers come from a fixed list, and ids are deterministic.

#include <boost/asio/any_io_executor.hpp>
#include <memory>

#include "runtime/engine.hpp"
#include "runtime/fake/fake_clock.hpp"
#include "runtime/fake/fake_control.hpp"
#include "runtime/fake/fake_scripts.hpp"
#include "runtime/fake/fake_state.hpp"

namespace stack::runtime::fake {

namespace detail {
class Daemon;
}  // namespace detail

struct FakeEngineOptions {
  ClockOptions clock;
  // Model time every call takes before it acts (0: calls complete without suspending).
  nanoseconds call_latency{0};
  // dockerd emits exec_create/exec_start/exec_die for every health probe; tests that
  // watch events may turn that noise off.
  bool health_exec_events = true;
  // Events kept for `since` replay (dockerd keeps 256).
  size_t event_buffer = 256;
};

class FakeEngine final : public Engine {
 public:
  explicit FakeEngine(boost::asio::any_io_executor executor, FakeEngineOptions options = {});
  ~FakeEngine() override;
  FakeEngine(const FakeEngine&) = delete;
  FakeEngine& operator=(const FakeEngine&) = delete;

  // --- test-side API (not part of Engine) --------------------------------------------
  FakeClock& clock();
  FakeScripts& scripts();
  FakeFaults& faults();
  FakeRegistry& registry();
  FakeCallLog& calls();
  FakeState& state() { return state_; }

  // --- Engine ------------------------------------------------------------------------
  Awaitable<EngineInfo> ping() override;
  Awaitable<nlohmann::json> version() override;

  Awaitable<std::string> createContainer(const ContainerCreateRequest& request) override;
  Awaitable<void> startContainer(const std::string& id) override;
  Awaitable<void> stopContainer(const std::string& id, std::optional<int> timeout_seconds) override;
  Awaitable<void> killContainer(const std::string& id, const std::string& signal) override;
  Awaitable<void> restartContainer(const std::string& id,
                                   std::optional<int> timeout_seconds) override;
  Awaitable<void> pauseContainer(const std::string& id) override;
  Awaitable<void> unpauseContainer(const std::string& id) override;
  Awaitable<void> removeContainer(const std::string& id, RemoveOptions options) override;
  Awaitable<void> renameContainer(const std::string& id, const std::string& name) override;
  Awaitable<ContainerDetails> inspectContainer(const std::string& id) override;
  Awaitable<void> copyToContainer(const std::string& id, const std::string& path,
                                  std::shared_ptr<BodySource> tar) override;
  Awaitable<std::vector<ContainerSummary>> listContainers(const ListFilter& filter) override;
  Awaitable<WaitResult> waitContainer(const std::string& id, WaitCondition condition) override;
  Awaitable<std::unique_ptr<OutputStream>> logs(const std::string& id,
                                                const LogsOptions& options) override;
  Awaitable<std::unique_ptr<AttachedStream>> attach(const std::string& id,
                                                    const AttachOptions& options) override;
  Awaitable<TopResult> top(const std::string& id, const std::string& ps_args) override;
  Awaitable<void> resizeContainer(const std::string& id, int rows, int columns) override;

  Awaitable<std::string> createExec(const std::string& container_id, const ExecSpec& spec) override;
  Awaitable<std::unique_ptr<AttachedStream>> startExec(const std::string& exec_id,
                                                       const ExecStartOptions& options) override;
  Awaitable<ExecDetails> inspectExec(const std::string& exec_id) override;
  Awaitable<void> resizeExec(const std::string& exec_id, int rows, int columns) override;

  Awaitable<std::unique_ptr<ProgressStream>> buildImage(BuildRequest request) override;
  Awaitable<std::unique_ptr<ProgressStream>> pullImage(const std::string& image,
                                                       const std::string& tag,
                                                       const RegistryAuth& auth) override;
  Awaitable<std::unique_ptr<ProgressStream>> pushImage(const std::string& image,
                                                       const std::string& tag,
                                                       const RegistryAuth& auth) override;
  Awaitable<ImageDetails> inspectImage(const std::string& reference) override;
  Awaitable<std::vector<ImageSummary>> listImages(const ListFilter& filter) override;
  Awaitable<void> tagImage(const std::string& source, const std::string& repository,
                           const std::string& tag) override;
  Awaitable<ImageRemoveResult> removeImage(const std::string& reference, bool force) override;

  Awaitable<std::string> createNetwork(const NetworkCreateRequest& request) override;
  Awaitable<void> connectNetwork(const std::string& network, const std::string& container,
                                 const EndpointSettings& endpoint) override;
  Awaitable<void> disconnectNetwork(const std::string& network, const std::string& container,
                                    bool force) override;
  Awaitable<NetworkDetails> inspectNetwork(const std::string& network) override;
  Awaitable<std::vector<NetworkDetails>> listNetworks(const ListFilter& filter) override;
  Awaitable<void> removeNetwork(const std::string& network) override;

  Awaitable<VolumeDetails> createVolume(const VolumeCreateRequest& request) override;
  Awaitable<VolumeDetails> inspectVolume(const std::string& name) override;
  Awaitable<std::vector<VolumeDetails>> listVolumes(const ListFilter& filter) override;
  Awaitable<void> removeVolume(const std::string& name, bool force) override;

  Awaitable<std::unique_ptr<EventStream>> events(const EventFilter& filter) override;

 private:
  std::shared_ptr<detail::Daemon> daemon_;
  FakeState state_;
};

}  // namespace stack::runtime::fake
