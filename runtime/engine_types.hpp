#pragma once

// Value types of the Engine interface. They mirror Docker Engine API 1.41 objects closely
// (field names follow the API, in snake_case) so that the Docker implementation is a plain
// translation and the FakeEngine can model the same semantics. Empty strings, empty
// containers and std::nullopt mean "not set": the engine applies its default.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "runtime/stream.hpp"

namespace stack::runtime {

using StringMap = std::map<std::string, std::string>;
using Nanoseconds = std::chrono::nanoseconds;

// ---------------------------------------------------------------------------------------
// Engine identity

struct EngineInfo {
  std::string api_version;     // negotiated: min(server, 1.41)
  std::string server_version;  // "20.10.24+dfsg1"
  std::string os;
  std::string arch;
  bool is_podman = false;
};

// Label and name filters for list and events calls. Several labels are ANDed. A label
// is "key" (present) or "key=value".
struct ListFilter {
  std::vector<std::string> labels;
  std::vector<std::string> names;  // the engine matches substrings; callers check exactly
  std::vector<std::string> ids;
  bool all = true;  // containers: include stopped ones
};

// ---------------------------------------------------------------------------------------
// Containers

struct HealthConfig {
  std::vector<std::string> test;  // ["CMD",...], ["CMD-SHELL","..."], ["NONE"]; empty inherits
  Nanoseconds interval{0};        // 0 inherits the image's or the daemon default
  Nanoseconds timeout{0};
  Nanoseconds start_period{0};
  int retries = 0;
};

struct PortBinding {
  std::string host_ip;
  std::string host_port;  // empty: an ephemeral port
};

struct MountSpec {
  std::string type;  // bind | volume | tmpfs
  std::string source;
  std::string target;
  bool read_only = false;
  std::string consistency;
  // bind
  std::string bind_propagation;
  bool bind_create_host_path = false;  // compose creates the directory itself before create
  // volume
  bool volume_no_copy = false;
  StringMap volume_labels;
  std::string volume_driver;
  StringMap volume_driver_options;
  std::string volume_subpath;
  // tmpfs
  int64_t tmpfs_size_bytes = 0;
  uint32_t tmpfs_mode = 0;
};

struct RestartPolicySpec {
  std::string name;  // "", no, always, on-failure, unless-stopped
  int maximum_retry_count = 0;
};

struct UlimitSpec {
  std::string name;
  int64_t soft = 0;
  int64_t hard = 0;
};

struct LogConfigSpec {
  std::string type;
  StringMap config;
};

struct DeviceMapping {
  std::string path_on_host;
  std::string path_in_container;
  std::string cgroup_permissions;
};

struct EndpointSettings {
  // NetworkID: pins the network by id, so the endpoint works even when two networks share
  // its name (dockerd does not serialize network creates by name).
  std::string network_id;
  std::vector<std::string> aliases;
  std::string ipv4_address;
  std::string ipv6_address;
  std::vector<std::string> link_local_ips;
  std::vector<std::string> links;
  std::string mac_address;
  StringMap driver_opts;
};

struct ContainerConfig {
  std::string image;
  std::optional<std::vector<std::string>> cmd;
  std::optional<std::vector<std::string>> entrypoint;  // empty vector resets the image's
  std::vector<std::string> env;                        // "KEY=value"
  StringMap labels;
  std::vector<std::string> exposed_ports;  // "8080/tcp"
  std::string working_dir;
  std::string user;
  std::string hostname;
  std::string domainname;
  std::string mac_address;
  std::string stop_signal;
  std::optional<int> stop_timeout;  // seconds
  bool tty = false;
  bool open_stdin = false;
  bool stdin_once = false;
  bool attach_stdin = false;
  bool attach_stdout = false;
  bool attach_stderr = false;
  std::optional<HealthConfig> healthcheck;
};

struct HostConfig {
  std::vector<std::string> binds;  // "src:dst[:opts]"
  std::vector<MountSpec> mounts;
  std::map<std::string, std::vector<PortBinding>> port_bindings;  // "8080/tcp" -> bindings
  bool publish_all_ports = false;
  RestartPolicySpec restart_policy;
  std::string network_mode;
  std::optional<bool> init;
  bool auto_remove = false;
  bool read_only = false;
  bool privileged = false;
  std::vector<std::string> cap_add;
  std::vector<std::string> cap_drop;
  std::vector<UlimitSpec> ulimits;
  std::optional<LogConfigSpec> log_config;
  int64_t memory = 0;
  int64_t memory_reservation = 0;
  int64_t memory_swap = 0;
  std::optional<int64_t> memory_swappiness;
  int64_t nano_cpus = 0;
  int64_t cpu_shares = 0;
  int64_t cpu_quota = 0;
  int64_t cpu_period = 0;
  int64_t cpu_realtime_runtime = 0;
  int64_t cpu_realtime_period = 0;
  int64_t cpu_count = 0;
  int64_t cpu_percent = 0;
  std::string cpuset_cpus;
  std::optional<int64_t> pids_limit;
  std::vector<std::string> extra_hosts;  // "host:ip"
  int64_t shm_size = 0;
  StringMap sysctls;
  std::vector<std::string> dns;
  std::vector<std::string> dns_search;
  std::vector<std::string> dns_options;
  std::map<std::string, std::string> tmpfs;  // target -> options
  std::vector<std::string> security_opt;
  std::vector<DeviceMapping> devices;
  std::vector<std::string> device_cgroup_rules;
  std::vector<std::string> group_add;
  std::vector<std::string> volumes_from;
  std::vector<std::string> links;
  std::string ipc_mode;
  std::string pid_mode;
  std::string uts_mode;
  std::string cgroupns_mode;
  std::string cgroup_parent;
  std::string userns_mode;
  std::string runtime;
  std::string isolation;
  std::optional<bool> oom_kill_disable;
  int oom_score_adj = 0;
  StringMap storage_opt;
  nlohmann::json extra;  // fields merged verbatim into HostConfig (blkio, device requests)
};

struct ContainerCreateRequest {
  std::string name;
  std::string platform;
  ContainerConfig config;
  HostConfig host_config;
  // At most one entry under API 1.41; connect further networks before start.
  std::map<std::string, EndpointSettings> networks;
};

struct PortSummary {
  std::string ip;
  uint16_t private_port = 0;
  uint16_t public_port = 0;  // 0 when not published
  std::string type;          // tcp | udp | sctp
};

struct MountSummary {
  std::string type;
  std::string name;  // volume name, for volumes
  std::string source;
  std::string destination;
  bool read_write = true;
};

// One entry of GET /containers/json: enough for `ps` without any inspect.
struct ContainerSummary {
  std::string id;
  std::string name;  // without the leading '/'
  std::string image;
  std::string image_id;
  std::string command;
  int64_t created = 0;  // seconds since the epoch
  std::string state;    // created|running|paused|restarting|removing|exited|dead
  std::string status;   // "Up 3 seconds (healthy)"
  StringMap labels;
  std::vector<PortSummary> ports;
  std::vector<std::string> networks;
  StringMap network_ids;  // network name -> NetworkID, when the engine reports it
  std::vector<MountSummary> mounts;
};

struct HealthLogEntry {
  std::string start;
  std::string end;
  int exit_code = 0;
  std::string output;
};

struct HealthState {
  std::string status;  // starting|healthy|unhealthy|none
  int failing_streak = 0;
  std::vector<HealthLogEntry> log;
};

struct ContainerState {
  std::string status;  // created|running|paused|restarting|removing|exited|dead (+podman's)
  bool running = false;
  bool paused = false;
  bool restarting = false;
  bool oom_killed = false;
  bool dead = false;
  int pid = 0;
  int exit_code = 0;
  std::string error;
  std::string started_at;
  std::string finished_at;
  std::optional<HealthState> health;
};

struct NetworkAttachment {
  std::string network_id;
  std::string ip_address;
  std::string mac_address;
  std::vector<std::string> aliases;
};

struct ContainerDetails {
  std::string id;
  std::string name;  // without the leading '/'
  std::string created;
  std::string image_id;
  int restart_count = 0;
  ContainerState state;
  ContainerConfig config;
  HostConfig host_config;
  std::map<std::string, NetworkAttachment> networks;      // by network name
  std::map<std::string, std::vector<PortBinding>> ports;  // "80/tcp" -> bindings
  std::vector<MountSummary> mounts;
  nlohmann::json raw;  // the whole inspect document
};

// A file copied into a container (PUT /containers/{id}/archive): a secret or config whose
// content comes from the environment or the compose file.
struct ContainerFile {
  std::string path;  // absolute, inside the container
  std::string content;
  uint32_t mode = 0444;
  uint32_t uid = 0;
  uint32_t gid = 0;
};

struct RemoveOptions {
  bool force = false;
  bool volumes = false;  // anonymous volumes only
};

enum class WaitCondition { NotRunning, NextExit, Removed };

struct WaitResult {
  int status_code = 0;
  std::string error;
};

struct LogsOptions {
  bool follow = false;
  bool stdout = true;
  bool stderr = true;
  bool timestamps = false;
  std::string tail = "all";  // "all" or a count
  std::string since;         // unix timestamp [.nanos] or RFC 3339
  std::string until;
  bool tty = false;  // the container's Config.Tty: selects the raw decoder
};

struct AttachOptions {
  bool stream = true;
  bool logs = false;
  bool stdin = false;
  bool stdout = true;
  bool stderr = true;
  bool tty = false;
};

struct TopResult {
  std::vector<std::string> titles;
  std::vector<std::vector<std::string>> processes;
};

// ---------------------------------------------------------------------------------------
// Exec

struct ExecSpec {
  std::vector<std::string> cmd;
  std::vector<std::string> env;
  std::string user;
  std::string working_dir;
  bool tty = false;
  bool privileged = false;
  bool attach_stdin = false;
  bool attach_stdout = true;
  bool attach_stderr = true;
};

struct ExecStartOptions {
  bool detach = false;
  bool tty = false;
  bool stdin = false;
};

struct ExecDetails {
  std::string id;
  bool running = false;
  std::optional<int> exit_code;
  int pid = 0;
};

// ---------------------------------------------------------------------------------------
// Images

// Credentials for one registry, sent as X-Registry-Auth.
struct RegistryAuth {
  std::string username;
  std::string password;
  std::string server_address;
  std::string identity_token;
  bool empty() const { return username.empty() && password.empty() && identity_token.empty(); }
};

struct BuildRequest {
  std::shared_ptr<BodySource> context;  // a tar stream
  std::string dockerfile;               // path inside the tar
  std::vector<std::string> tags;
  std::map<std::string, std::string> build_args;
  StringMap labels;
  std::string target;
  std::vector<std::string> cache_from;
  std::string network_mode;
  std::vector<std::string> extra_hosts;
  std::string platform;
  int64_t shm_size = 0;
  bool no_cache = false;
  bool pull = false;
  bool force_rm = true;  // never leave intermediate containers behind
  bool quiet = false;
  std::map<std::string, RegistryAuth> registry_config;  // X-Registry-Config
};

struct ImageSummary {
  std::string id;
  std::vector<std::string> repo_tags;
  std::vector<std::string> repo_digests;
  int64_t created = 0;
  int64_t size = 0;
  StringMap labels;
};

struct ImageDetails {
  std::string id;
  std::vector<std::string> repo_tags;
  std::vector<std::string> repo_digests;
  std::string created;
  int64_t size = 0;
  std::string os;
  std::string architecture;
  ContainerConfig config;  // image defaults: Env, Cmd, Entrypoint, Labels, Healthcheck...
  nlohmann::json raw;
};

struct ImageRemoveResult {
  std::vector<std::string> untagged;
  std::vector<std::string> deleted;
};

// ---------------------------------------------------------------------------------------
// Networks and volumes

struct IpamPoolSpec {
  std::string subnet;
  std::string ip_range;
  std::string gateway;
  StringMap aux_addresses;
};

struct NetworkCreateRequest {
  std::string name;
  std::string driver = "bridge";
  bool internal = false;
  bool attachable = false;
  bool enable_ipv6 = false;
  StringMap options;
  StringMap labels;
  std::string ipam_driver;
  std::vector<IpamPoolSpec> ipam_config;
  StringMap ipam_options;
};

struct NetworkDetails {
  std::string id;
  std::string name;
  std::string driver;
  std::string scope;
  bool internal = false;
  bool attachable = false;
  bool enable_ipv6 = false;
  StringMap options;
  StringMap labels;
  std::vector<IpamPoolSpec> ipam_config;
  std::map<std::string, NetworkAttachment> containers;  // by container id (inspect only)
};

struct VolumeCreateRequest {
  std::string name;
  std::string driver;
  StringMap driver_opts;
  StringMap labels;
};

struct VolumeDetails {
  std::string name;
  std::string driver;
  std::string mountpoint;
  std::string created_at;
  std::string scope;
  StringMap labels;
  StringMap options;
};

struct EventFilter {
  std::string since;  // unix seconds[.nanos]; resume from the last event's time_nano
  std::string until;
  std::vector<std::string> types;   // container, network, ...
  std::vector<std::string> labels;  // ANDed
  std::vector<std::string> events;  // actions
};

}  // namespace stack::runtime
