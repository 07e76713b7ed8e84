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
// Example:
//   boost::asio::io_context io;
//   FakeEngine engine(io.get_executor());
//   engine.state().addImage({.tags = {"web:1"}, .config = {.cmd = {{"serve"}}}});
//   engine.scripts().process("web:1", {.exit_after = 5s, .exit_code = 3});
//   run(io, [&]() -> Awaitable<void> {
//     auto id = co_await engine.createContainer({.name = "web", .config = {.image = "web:1"}});
//     co_await engine.startContainer(id);
//     auto result = co_await engine.waitContainer(id, WaitCondition::NotRunning);
//     CHECK(result.status_code == 3);  // after 5 s of model time, 5 ms of real time
//   });
//
// Threading: everything runs on the executor's single thread.

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

  Awaitable<std::string> createExec(const std::string& container_id, const ExecSpec& spec) override;
  Awaitable<std::unique_ptr<AttachedStream>> startExec(const std::string& exec_id,
                                                       const ExecStartOptions& options) override;
  Awaitable<ExecDetails> inspectExec(const std::string& exec_id) override;

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
