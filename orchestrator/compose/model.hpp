#pragma once

// The resolved compose model: what a compose project means once every file is loaded,
// interpolated, merged, extended, normalized to long syntax and filtered by profiles.
//
// Conventions:
// - Every map is a std::map so iteration (and therefore output and hashing) is sorted.
// - std::optional marks keys the user did not set, so `stack config` prints only what
//   compose would print and defaults stay the engine's.
// - Durations are nanoseconds; byte sizes are bytes.
// - Paths are absolute after loading (relative ones resolved against the project
//   directory of the file that declared them).
// - Keys that stack passes through without acting on (blkio_config, develop, ...) are kept
//   as validated JSON in the long form compose prints.

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace stack::orchestrator::compose {

using Duration = std::chrono::nanoseconds;
using Json = nlohmann::json;
using StringMap = std::map<std::string, std::string>;
// `environment` and `build.args`: a key with no value (`- FOO`) is std::nullopt, which
// means "take it from the environment at run time" (or unset when absent there).
using OptionalStringMap = std::map<std::string, std::optional<std::string>>;

struct BuildConfig {
  std::string context;     // absolute path or a URL
  std::string dockerfile;  // relative to context unless absolute
  std::optional<std::string> dockerfile_inline;
  OptionalStringMap args;
  std::map<std::string, std::string> additional_contexts;
  std::string target;
  StringMap labels;
  std::vector<std::string> cache_from;
  std::vector<std::string> cache_to;
  std::string network;
  std::vector<std::string> extra_hosts;  // "host=ip" form, as compose config prints
  std::optional<int64_t> shm_size;
  bool no_cache = false;
  bool pull = false;
  std::vector<std::string> tags;
  std::vector<std::string> platforms;
  std::string isolation;
  bool privileged = false;
  Json secrets;  // long-form list, passed through
  Json ssh;      // list of "id[=path]", passed through
  Json ulimits;
};

struct PortConfig {
  std::string name;
  uint32_t target = 0;
  std::string published;  // "" = ephemeral; "8080" or a range "8080-8090"
  std::string host_ip;
  std::string protocol = "tcp";
  std::string mode = "ingress";
  std::string app_protocol;
};

struct BindOptions {
  std::string propagation;
  std::optional<bool> create_host_path;  // compose default: true
  std::string selinux;
};

struct VolumeOptions {
  bool nocopy = false;
  std::string subpath;
};

struct TmpfsOptions {
  std::optional<int64_t> size;
  std::optional<uint32_t> mode;
};

struct ServiceVolume {
  std::string type;    // "volume" | "bind" | "tmpfs" | "npipe" | "cluster" | "image"
  std::string source;  // volume key (not the engine name), absolute host path, or empty
  std::string target;
  bool read_only = false;
  std::string consistency;
  std::optional<BindOptions> bind;
  std::optional<VolumeOptions> volume;
  std::optional<TmpfsOptions> tmpfs;
};

struct DependsOn {
  std::string condition = "service_started";  // service_started|service_healthy|
                                              // service_completed_successfully
  bool restart = false;
  bool required = true;
};

struct Healthcheck {
  std::vector<std::string> test;  // ["CMD", ...], ["CMD-SHELL", "..."], ["NONE"]; empty = inherit
  std::optional<Duration> interval;
  std::optional<Duration> timeout;
  std::optional<Duration> start_period;
  std::optional<Duration> start_interval;
  std::optional<uint64_t> retries;
  bool disable = false;
};

struct ServiceNetwork {
  std::vector<std::string> aliases;
  std::string ipv4_address;
  std::string ipv6_address;
  std::vector<std::string> link_local_ips;
  std::string mac_address;
  std::optional<int> priority;
  StringMap driver_opts;
};

struct Ulimit {
  int64_t soft = 0;
  int64_t hard = 0;  // a single number in the file sets both
};

struct Logging {
  std::string driver;
  StringMap options;
};

struct ResourceSpec {
  std::optional<double> cpus;
  std::optional<int64_t> memory;
  std::optional<int64_t> pids;
  Json devices;  // reservations only, passed through
  Json generic_resources;
};

struct RestartPolicy {
  std::string condition;  // none|on-failure|any
  std::optional<Duration> delay;
  std::optional<uint64_t> max_attempts;
  std::optional<Duration> window;
};

struct DeployConfig {
  std::string mode;  // replicated|global|...; empty = unset
  std::optional<int> replicas;
  StringMap labels;
  std::optional<ResourceSpec> limits;
  std::optional<ResourceSpec> reservations;
  std::optional<RestartPolicy> restart_policy;
  Json placement;
  Json update_config;
  Json rollback_config;
  std::string endpoint_mode;
};

// A secret or config granted to a service.
struct FileReference {
  std::string source;
  std::string target;  // compose default: /run/secrets/<source> or /<source>
  std::string uid;
  std::string gid;
  std::optional<uint32_t> mode;
};

struct EnvFile {
  std::string path;  // absolute
  bool required = true;
  std::string format;
};

struct Service {
  std::string name;
  std::vector<std::string> profiles;

  // Image and build.
  std::optional<BuildConfig> build;
  std::string image;
  std::string pull_policy;  // always|never|missing|build|daily|weekly|every_<d>; "" = unset
  std::string platform;

  // Process.
  std::optional<std::vector<std::string>> command;     // nullopt = image default;
  std::optional<std::vector<std::string>> entrypoint;  // empty list = reset to none
  OptionalStringMap environment;  // env_file content is merged in by the loader
  std::vector<EnvFile> env_file;  // kept for config output and the config hash
  std::string working_dir;
  std::string user;
  std::optional<bool> init;
  bool tty = false;
  bool stdin_open = false;
  std::string stop_signal;
  std::optional<Duration> stop_grace_period;

  // Lifecycle.
  std::string restart;  // no|always|on-failure[:N]|unless-stopped; "" = unset
  std::optional<int> scale;
  std::optional<DeployConfig> deploy;
  std::map<std::string, DependsOn> depends_on;
  std::optional<Healthcheck> healthcheck;
  std::optional<bool> attach;
  Json post_start;  // lists of hooks, passed through
  Json pre_stop;

  // Identity.
  std::string container_name;
  std::string hostname;
  std::string domainname;
  StringMap labels;
  StringMap annotations;

  // Networking.
  std::string network_mode;  // "" | bridge | host | none | service:X | container:X
  // Service network key -> attachment options (std::nullopt for a bare list entry).
  std::map<std::string, std::optional<ServiceNetwork>> networks;
  std::vector<PortConfig> ports;
  std::vector<std::string> expose;
  std::vector<std::string> links;  // "service[:alias]"
  std::vector<std::string> external_links;
  std::vector<std::string> extra_hosts;  // "host=ip"
  std::vector<std::string> dns;
  std::vector<std::string> dns_search;
  std::vector<std::string> dns_opt;
  std::string mac_address;

  // Storage.
  std::vector<ServiceVolume> volumes;
  std::vector<std::string> volumes_from;  // "service[:ro]" or "container:name[:ro]"
  std::vector<std::string> tmpfs;
  bool read_only = false;
  std::optional<int64_t> shm_size;
  std::vector<FileReference> secrets;
  std::vector<FileReference> configs;

  // Resources and isolation.
  std::optional<int64_t> mem_limit;
  std::optional<int64_t> mem_reservation;
  std::optional<int64_t> memswap_limit;
  std::optional<int> mem_swappiness;
  std::optional<double> cpus;
  std::optional<int64_t> cpu_shares;
  std::optional<int64_t> cpu_quota;
  std::optional<int64_t> cpu_period;
  std::optional<int64_t> cpu_rt_runtime;
  std::optional<int64_t> cpu_rt_period;
  std::optional<int64_t> cpu_count;
  std::optional<double> cpu_percent;
  std::string cpuset;
  std::optional<int64_t> pids_limit;
  std::map<std::string, Ulimit> ulimits;
  std::vector<std::string> cap_add;
  std::vector<std::string> cap_drop;
  bool privileged = false;
  std::vector<std::string> security_opt;
  StringMap sysctls;
  Json devices;  // long-form list, passed through to HostConfig.Devices
  std::vector<std::string> device_cgroup_rules;
  std::vector<std::string> group_add;
  std::string ipc;
  std::string pid;
  std::string uts;
  std::string cgroup;
  std::string cgroup_parent;
  std::string userns_mode;
  std::string runtime;
  std::string isolation;
  std::optional<bool> oom_kill_disable;
  std::optional<int> oom_score_adj;
  StringMap storage_opt;
  Json blkio_config;
  Json credential_spec;
  Json gpus;

  std::optional<Logging> logging;
  Json develop;
  Json extensions;  // x-* keys of the service, as written
};

struct IpamPool {
  std::string subnet;
  std::string ip_range;
  std::string gateway;
  StringMap aux_addresses;
};

struct NetworkConfig {
  std::string name;  // engine name: "<project>_<key>" unless external or given
  std::string driver;
  StringMap driver_opts;
  std::string ipam_driver;
  std::vector<IpamPool> ipam_config;
  StringMap ipam_options;
  bool external = false;
  bool internal = false;
  std::optional<bool> attachable;
  std::optional<bool> enable_ipv4;
  std::optional<bool> enable_ipv6;
  StringMap labels;
  Json extensions;
};

struct VolumeConfig {
  std::string name;  // engine name: "<project>_<key>" unless external or given
  std::string driver;
  StringMap driver_opts;
  bool external = false;
  StringMap labels;
  Json extensions;
};

// A top-level secret or config.
struct FileObjectConfig {
  std::string name;
  std::string file;         // absolute path, or empty
  std::string environment;  // variable name, or empty
  std::optional<std::string> content;
  bool external = false;
  StringMap labels;
  std::string driver;
  StringMap driver_opts;
  std::string template_driver;
  Json extensions;
};

struct Project {
  std::string name;
  std::string working_dir;                           // absolute project directory
  std::vector<std::string> config_files;             // absolute paths, in load order
  std::vector<std::string> env_files;                // absolute paths of the env files read
  std::map<std::string, Service> services;           // enabled services only
  std::map<std::string, Service> disabled_services;  // filtered out by profiles
  std::map<std::string, NetworkConfig> networks;
  std::map<std::string, VolumeConfig> volumes;
  std::map<std::string, FileObjectConfig> secrets;
  std::map<std::string, FileObjectConfig> configs;
  std::vector<std::string> profiles;  // the active profiles
  StringMap environment;              // the variables interpolation saw
  Json extensions;                    // top-level x-* keys
};

}  // namespace stack::orchestrator::compose
