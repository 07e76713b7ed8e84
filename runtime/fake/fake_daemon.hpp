#pragma once

// Internal to runtime/fake: the in-memory daemon the FakeEngine drives. Its operations are
// synchronous state changes that follow dockerd 20.10's rules (moby v20.10.24 sources:
// daemon/start.go, stop.go, kill.go, delete.go, monitor.go, health.go, restartmanager/,
// images/image_delete.go, container_operations.go) and emit the same events. Anything
// that takes time (a process's life, probes, restart back-off) is a callback on the
// FakeClock. The FakeEngine adds the API surface: call log, faults, waiting, streams.

#include <boost/asio/any_io_executor.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "runtime/engine_types.hpp"
#include "runtime/fake/fake_clock.hpp"
#include "runtime/fake/fake_control.hpp"
#include "runtime/fake/fake_scripts.hpp"
#include "runtime/fake/fake_signal.hpp"
#include "runtime/fake/fake_util.hpp"

namespace stack::runtime::fake {

struct FakeEngineOptions;

namespace detail {

enum class RunState { Created, Running, Paused, Restarting, Exited, Dead };

struct LogEntry {
  Timestamp time{0};
  OutputKind kind = OutputKind::Stdout;
  std::string data;
  uint64_t run = 0;  // 1-based number of the run that printed it
};

struct MountRecord {
  std::string type;  // bind | volume | tmpfs
  std::string name;  // volume name
  std::string source;
  std::string destination;
  bool read_write = true;
  bool anonymous = false;
};

struct EndpointRecord {
  EndpointSettings config;  // as requested
  std::string network_id;   // set once the network has been resolved
  std::string ip;           // set while the endpoint is active (running container)
  std::string mac;
  std::vector<std::string> aliases;  // requested plus the engine's additions
};

// The main process of the current run.
struct ProcessRun {
  ProcessScript script;
  Timestamp segment_start{0};              // when it last started or resumed
  nanoseconds ran{0};                      // running time before segment_start
  size_t next_output = 0;                  // index into script.output
  std::vector<FakeClock::TimerId> timers;  // output, exit; cancelled on pause and exit
  std::optional<FakeClock::TimerId> signal_exit;
};

struct HealthRun {
  int probes = 0;  // probes of the current run
  std::optional<FakeClock::TimerId> timer;
  uint64_t run = 0;
};

struct ContainerRecord : std::enable_shared_from_this<ContainerRecord> {
  explicit ContainerRecord(boost::asio::any_io_executor executor) : changed(executor) {}

  std::string id;
  std::string name;  // without the leading '/'
  uint64_t sequence = 0;
  Timestamp created{0};
  ContainerConfig config;  // merged with the image's defaults
  HostConfig host_config;
  std::string image_id;
  std::vector<std::string> script_keys;

  RunState state = RunState::Created;
  int pid = 0;
  int exit_code = 0;
  std::string error;
  bool oom_killed = false;
  Timestamp started_at{0};
  Timestamp finished_at{0};
  int restart_count = 0;
  bool manually_stopped = false;   // HasBeenManuallyStopped
  bool restart_cancelled = false;  // the restart manager was cancelled (ExitOnNext)
  nanoseconds restart_backoff{0};
  std::optional<FakeClock::TimerId> restart_timer;
  bool removed = false;

  std::map<std::string, EndpointRecord> networks;  // by network name
  std::vector<MountRecord> mounts;
  std::map<std::string, std::vector<PortBinding>> ports;  // bound while running
  std::map<std::string, ContainerFile> files;             // copied in with copyToContainer, by path

  std::optional<HealthState> health;
  HealthRun health_run;
  std::optional<ProcessRun> process;
  std::vector<LogEntry> output;
  uint64_t runs_started = 0;
  uint64_t runs_ended = 0;
  std::map<std::string, int> exec_calls;  // per exec script, for successive results
  size_t execs_created = 0;               // health probes included

  Signal changed;  // notified on every state change and output

  bool running() const {
    return state == RunState::Running || state == RunState::Paused || state == RunState::Restarting;
  }
  std::string stateString() const;
};

struct ExecRecord {
  explicit ExecRecord(boost::asio::any_io_executor executor) : changed(executor) {}
  std::string id;
  std::string container_id;
  ExecSpec spec;
  bool running = false;
  std::optional<int> exit_code;
  int pid = 0;
  std::vector<LogEntry> output;
  std::string stdin_data;
  std::optional<FakeClock::TimerId> timer;
  Signal changed;
};

struct NetworkRecord {
  std::string id;
  std::string name;
  std::string driver;
  bool internal = false;
  bool attachable = false;
  bool enable_ipv6 = false;
  bool predefined = false;
  StringMap options;
  StringMap labels;
  std::string ipam_driver = "default";
  StringMap ipam_options;
  std::vector<IpamPoolSpec> ipam_config;
  bool user_subnet = false;
  Timestamp created{0};
  uint32_t subnet = 0;  // network address, host order; 0 for host/none
  int prefix = 0;
  std::set<uint32_t> used;                    // allocated addresses
  std::map<std::string, std::string> active;  // container id -> ip of active endpoints
};

struct VolumeRecord {
  std::string name;
  std::string driver = "local";
  StringMap labels;
  StringMap options;
  Timestamp created{0};
  bool anonymous = false;
};

struct ImageRecord {
  std::string id;                    // sha256:...
  std::vector<std::string> tags;     // familiar "repository:tag"
  std::vector<std::string> digests;  // "repository@sha256:..."
  ContainerConfig config;
  Timestamp created{0};
  int64_t size = 0;
  std::string os = "linux";
  std::string architecture = "amd64";
};

struct HostPortKey {
  std::string ip;  // "0.0.0.0" for all
  uint16_t port = 0;
  std::string proto;
  auto operator<=>(const HostPortKey&) const = default;
};

class Daemon : public std::enable_shared_from_this<Daemon> {
 public:
  Daemon(boost::asio::any_io_executor executor, const FakeEngineOptions& options);
  ~Daemon();

  boost::asio::any_io_executor executor;
  FakeClock clock;
  FakeScripts scripts;
  FakeFaults faults;
  FakeRegistry registry;
  FakeCallLog calls;
  bool health_exec_events = true;
  size_t event_buffer = 256;
  nanoseconds call_latency{0};

  // --- lookups (fake_daemon.cpp) -------------------------------------------------------
  std::shared_ptr<ContainerRecord> findContainer(std::string_view ref) const;
  std::shared_ptr<ContainerRecord> requireContainer(std::string_view ref) const;
  NetworkRecord* findNetwork(std::string_view ref);
  NetworkRecord& requireNetwork(std::string_view ref);
  ImageRecord* findImage(std::string_view ref);
  ImageRecord& requireImage(std::string_view ref);
  VolumeRecord* findVolume(std::string_view name);
  std::shared_ptr<ExecRecord> findExec(std::string_view id) const;
  std::vector<std::shared_ptr<ContainerRecord>> containersInOrder() const;  // newest first
  // Subjects a fault's `match` is compared with, and the name the call log shows.
  std::vector<std::string> subjectsOf(Method method, const std::string& subject);
  std::string nameOf(Method method, const std::string& subject);
  std::string newId(std::string_view kind, std::string_view seed);

  // --- events (fake_events.cpp) --------------------------------------------------------
  void emit(std::string type, std::string action, std::string actor, StringMap attributes);
  void containerEvent(const ContainerRecord& c, std::string action, StringMap extra = {});
  void networkEvent(const NetworkRecord& n, std::string action, StringMap extra = {});
  void volumeEvent(const VolumeRecord& v, std::string action, StringMap extra = {});
  void imageEvent(const std::string& id, const std::string& name, std::string action);
  const std::vector<EngineEvent>& eventHistory() const { return events_; }
  Signal& eventsChanged() { return events_changed_; }
  // Epoch of the API connection; bumped when the engine becomes unavailable so that open
  // streams and waits notice the drop.
  uint64_t connectionEpoch() const { return connection_epoch_; }
  void breakConnections();
  bool shutDown() const { return shut_down_; }
  void shutdown();

  // --- containers (fake_containers.cpp) ------------------------------------------------
  std::string createContainer(const ContainerCreateRequest& request);
  void startContainer(ContainerRecord& c);  // the API's start; not for restarts
  // kill.go killWithSignal: marks the manual stop, emits "kill", delivers the signal.
  void signalContainer(ContainerRecord& c, int signal);
  void cancelRestart(ContainerRecord& c);
  // The first half of stop: marks the manual stop and sends the stop signal. Returns false
  // when the container was only restarting (the restart is cancelled, nothing to wait for).
  bool sendStopSignal(ContainerRecord& c);
  void killContainer(ContainerRecord& c, const std::string& signal);
  void pauseContainer(ContainerRecord& c);
  void unpauseContainer(ContainerRecord& c);
  void removeContainer(ContainerRecord& c, RemoveOptions options);
  void renameContainer(ContainerRecord& c, const std::string& name);
  void copyToContainer(ContainerRecord& c, const std::string& path, BodySource* tar);
  ContainerConfig mergeImageConfig(const ContainerConfig& user, const ImageRecord& image) const;

  // --- processes (fake_process.cpp) ----------------------------------------------------
  // Brings a created/exited container up: networks, ports, mounts, the scripted process.
  // Throws (and leaves the container stopped) when dockerd's start would fail.
  void runContainer(ContainerRecord& c, bool manual);
  void deliverSignal(ContainerRecord& c, int signal);
  void processExited(ContainerRecord& c, int exit_code);
  void print(ContainerRecord& c, OutputKind kind, const std::string& text);
  void writeStdin(ContainerRecord& c, const std::string& data);
  void closeStdin(ContainerRecord& c);
  void freezeProcess(ContainerRecord& c);
  void resumeProcess(ContainerRecord& c);

  // --- health (fake_health.cpp) --------------------------------------------------------
  void startHealthMonitor(ContainerRecord& c);
  void stopHealthMonitor(ContainerRecord& c);
  // The scripted answer to `cmd` in `c` (ExecScript), else success.
  ProbeResult runScriptedCommand(ContainerRecord& c, const std::vector<std::string>& cmd);

  // --- exec (fake_exec.cpp) ------------------------------------------------------------
  std::string createExec(ContainerRecord& c, const ExecSpec& spec);
  void startExec(ExecRecord& e);
  void endExecsOf(ContainerRecord& c);

  // --- networks and volumes (fake_networks.cpp, fake_volumes.cpp) ----------------------
  std::string createNetwork(const NetworkCreateRequest& request);
  void connectNetwork(NetworkRecord& n, ContainerRecord& c, const EndpointSettings& endpoint);
  void disconnectNetwork(const std::string& network, ContainerRecord& c, bool force);
  void removeNetwork(NetworkRecord& n);
  // Checks that every network, address and port of `c` can be had; throws if not.
  void checkNetworking(ContainerRecord& c);
  void activateNetworking(ContainerRecord& c);
  void releaseNetworking(ContainerRecord& c);
  std::vector<std::string> aliasesFor(const ContainerRecord& c, const NetworkRecord& n,
                                      const EndpointSettings& config) const;
  VolumeRecord& createVolume(const VolumeCreateRequest& request, bool anonymous = false);
  void removeVolume(const std::string& name, bool force);
  std::vector<std::string> volumeUsers(const std::string& name) const;
  // Parses Binds and Mounts and creates the volumes they name (at container create).
  std::vector<MountRecord> prepareMounts(const HostConfig& host);
  void mountVolumes(ContainerRecord& c);
  void unmountVolumes(ContainerRecord& c);
  void checkPorts(ContainerRecord& c);
  std::set<HostPortKey> reserved_ports;

  // --- images (fake_images.cpp) --------------------------------------------------------
  std::string addImage(const FakeImage& image, const std::string& id_seed);
  void tagImage(ImageRecord& image, const ImageReference& ref);
  ImageRemoveResult removeImage(const std::string& reference, bool force);
  ImageRecord& storeImage(const std::string& id, ContainerConfig config,
                          std::vector<std::string> tags, int64_t size);

  // --- views (fake_views.cpp) ----------------------------------------------------------
  ContainerDetails details(const ContainerRecord& c);
  ContainerSummary summary(const ContainerRecord& c);
  NetworkDetails networkDetails(const NetworkRecord& n, bool with_containers) const;
  VolumeDetails volumeDetails(const VolumeRecord& v) const;
  ImageDetails imageDetails(const ImageRecord& i) const;
  ImageSummary imageSummary(const ImageRecord& i) const;

  std::map<std::string, std::shared_ptr<ContainerRecord>> containers;  // by id
  std::map<std::string, NetworkRecord> networks;                       // by id
  std::map<std::string, VolumeRecord> volumes;                         // by name
  std::map<std::string, ImageRecord> images;                           // by id
  std::map<std::string, std::shared_ptr<ExecRecord>> execs;            // by id

 private:
  void startProcessTimers(ContainerRecord& c);
  void scheduleRestart(ContainerRecord& c);
  bool shouldRestart(ContainerRecord& c, int exit_code, nanoseconds ran);
  void initNetworks(ContainerRecord& c, const ContainerCreateRequest& request);
  void autoRemove(ContainerRecord& c);
  void runProbe(std::weak_ptr<ContainerRecord> weak, uint64_t run);
  void finishProbe(ContainerRecord& c, const ProbeResult& result, Timestamp start);
  void scheduleProbe(ContainerRecord& c);
  void allocateEndpoint(NetworkRecord& n, ContainerRecord& c, EndpointRecord& ep);
  void bindPorts(ContainerRecord& c);
  std::pair<uint32_t, int> allocateSubnet();

  std::vector<EngineEvent> events_;
  Signal events_changed_;
  uint64_t connection_epoch_ = 0;
  bool shut_down_ = false;
  uint64_t sequence_ = 0;
  int next_pid_ = 1000;
  uint16_t next_ephemeral_port_ = 49153;
};

// Error helpers with dockerd's messages.
Error notFound(const std::string& what, std::string_view ref);  // "No such container: x"
Error conflict(std::string message);
Error engineError(std::string message);

}  // namespace detail
}  // namespace stack::runtime::fake
