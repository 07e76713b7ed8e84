// Readers: Docker Engine API response documents to Engine value types. Every field is
// optional and may be null; podman and older engines leave some out.

#include "core/error.hpp"
#include "runtime/docker/docker_json.hpp"

namespace stack::runtime::docker {
namespace {

using namespace stack::runtime;

std::string str(const Json& json, const char* key) {
  auto it = json.find(key);
  return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
}
template <class T>
T num(const Json& json, const char* key) {
  auto it = json.find(key);
  return it != json.end() && it->is_number() ? it->get<T>() : T{};
}
bool flag(const Json& json, const char* key) {
  auto it = json.find(key);
  return it != json.end() && it->is_boolean() && it->get<bool>();
}
const Json& child(const Json& json, const char* key) {
  static const Json null_json;
  auto it = json.find(key);
  return it != json.end() ? *it : null_json;
}
std::vector<std::string> strings(const Json& json, const char* key) {
  std::vector<std::string> out;
  const Json& list = child(json, key);
  if (!list.is_array()) return out;
  for (const auto& item : list) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}
StringMap stringMap(const Json& json, const char* key) {
  StringMap out;
  const Json& map = child(json, key);
  if (!map.is_object()) return out;
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (it.value().is_string()) out[it.key()] = it.value().get<std::string>();
  }
  return out;
}
std::string withoutSlash(std::string name) {
  if (!name.empty() && name.front() == '/') name.erase(0, 1);
  return name;
}

std::map<std::string, std::vector<PortBinding>> portBindings(const Json& ports) {
  std::map<std::string, std::vector<PortBinding>> out;
  if (!ports.is_object()) return out;
  for (auto it = ports.begin(); it != ports.end(); ++it) {
    auto& bindings = out[it.key()];
    if (!it.value().is_array()) continue;
    for (const auto& b : it.value()) bindings.push_back({str(b, "HostIp"), str(b, "HostPort")});
  }
  return out;
}

std::vector<MountSummary> mounts(const Json& list) {
  std::vector<MountSummary> out;
  if (!list.is_array()) return out;
  for (const auto& m : list) {
    MountSummary mount;
    mount.type = str(m, "Type");
    mount.name = str(m, "Name");
    mount.source = str(m, "Source");
    mount.destination = str(m, "Destination");
    mount.read_write = !m.contains("RW") || flag(m, "RW");
    out.push_back(std::move(mount));
  }
  return out;
}

HealthState healthState(const Json& json) {
  HealthState health;
  health.status = str(json, "Status");
  health.failing_streak = num<int>(json, "FailingStreak");
  const Json& log = child(json, "Log");
  if (log.is_array()) {
    for (const auto& entry : log) {
      health.log.push_back({str(entry, "Start"), str(entry, "End"), num<int>(entry, "ExitCode"),
                            str(entry, "Output")});
    }
  }
  return health;
}

ContainerState containerState(const Json& json) {
  ContainerState state;
  state.status = str(json, "Status");
  state.running = flag(json, "Running");
  state.paused = flag(json, "Paused");
  state.restarting = flag(json, "Restarting");
  state.oom_killed = flag(json, "OOMKilled");
  state.dead = flag(json, "Dead");
  state.pid = num<int>(json, "Pid");
  state.exit_code = num<int>(json, "ExitCode");
  state.error = str(json, "Error");
  state.started_at = str(json, "StartedAt");
  state.finished_at = str(json, "FinishedAt");
  if (child(json, "Health").is_object()) state.health = healthState(json["Health"]);
  return state;
}

HostConfig hostConfig(const Json& json) {
  HostConfig host;
  host.binds = strings(json, "Binds");
  host.port_bindings = portBindings(child(json, "PortBindings"));
  host.network_mode = str(json, "NetworkMode");
  const Json& restart = child(json, "RestartPolicy");
  host.restart_policy = {str(restart, "Name"), num<int>(restart, "MaximumRetryCount")};
  host.auto_remove = flag(json, "AutoRemove");
  host.read_only = flag(json, "ReadonlyRootfs");
  host.privileged = flag(json, "Privileged");
  host.cap_add = strings(json, "CapAdd");
  host.cap_drop = strings(json, "CapDrop");
  host.extra_hosts = strings(json, "ExtraHosts");
  host.memory = num<int64_t>(json, "Memory");
  host.nano_cpus = num<int64_t>(json, "NanoCpus");
  host.shm_size = num<int64_t>(json, "ShmSize");
  host.volumes_from = strings(json, "VolumesFrom");
  if (child(json, "Init").is_boolean()) host.init = json["Init"].get<bool>();
  return host;
}

NetworkAttachment attachment(const Json& json) {
  return {str(json, "NetworkID"), str(json, "IPAddress"), str(json, "MacAddress"),
          strings(json, "Aliases")};
}

}  // namespace

Json parseBody(const std::string& body, const std::string& what) {
  Json json = Json::parse(body, nullptr, false);
  if (json.is_discarded()) {
    throw Error(ErrorKind::Engine, "the engine sent a response that is not JSON to " + what);
  }
  return json;
}

ContainerConfig parseContainerConfig(const Json& json) {
  ContainerConfig config;
  if (!json.is_object()) return config;
  config.image = str(json, "Image");
  if (child(json, "Cmd").is_array()) config.cmd = strings(json, "Cmd");
  if (child(json, "Entrypoint").is_array()) config.entrypoint = strings(json, "Entrypoint");
  config.env = strings(json, "Env");
  config.labels = stringMap(json, "Labels");
  const Json& exposed = child(json, "ExposedPorts");
  if (exposed.is_object()) {
    for (auto it = exposed.begin(); it != exposed.end(); ++it)
      config.exposed_ports.push_back(it.key());
  }
  config.working_dir = str(json, "WorkingDir");
  config.user = str(json, "User");
  config.hostname = str(json, "Hostname");
  config.domainname = str(json, "Domainname");
  config.stop_signal = str(json, "StopSignal");
  if (child(json, "StopTimeout").is_number()) config.stop_timeout = json["StopTimeout"].get<int>();
  config.tty = flag(json, "Tty");
  config.open_stdin = flag(json, "OpenStdin");
  const Json& health = child(json, "Healthcheck");
  if (health.is_object()) {
    HealthConfig check;
    check.test = strings(health, "Test");
    check.interval = Nanoseconds(num<int64_t>(health, "Interval"));
    check.timeout = Nanoseconds(num<int64_t>(health, "Timeout"));
    check.start_period = Nanoseconds(num<int64_t>(health, "StartPeriod"));
    check.retries = num<int>(health, "Retries");
    config.healthcheck = check;
  }
  return config;
}

ContainerSummary parseContainerSummary(const Json& json) {
  ContainerSummary summary;
  summary.id = str(json, "Id");
  auto names = strings(json, "Names");
  if (!names.empty()) summary.name = withoutSlash(names.front());
  summary.image = str(json, "Image");
  summary.image_id = str(json, "ImageID");
  summary.command = str(json, "Command");
  summary.created = num<int64_t>(json, "Created");
  summary.state = str(json, "State");
  summary.status = str(json, "Status");
  summary.labels = stringMap(json, "Labels");
  const Json& ports = child(json, "Ports");
  if (ports.is_array()) {
    for (const auto& p : ports) {
      summary.ports.push_back({str(p, "IP"), num<uint16_t>(p, "PrivatePort"),
                               num<uint16_t>(p, "PublicPort"), str(p, "Type")});
    }
  }
  const Json& networks = child(child(json, "NetworkSettings"), "Networks");
  if (networks.is_object()) {
    for (auto it = networks.begin(); it != networks.end(); ++it) {
      summary.networks.push_back(it.key());
      const std::string id = str(it.value(), "NetworkID");
      if (!id.empty()) summary.network_ids[it.key()] = id;
    }
  }
  summary.mounts = mounts(child(json, "Mounts"));
  return summary;
}

ContainerDetails parseContainerDetails(const Json& json) {
  ContainerDetails details;
  details.id = str(json, "Id");
  details.name = withoutSlash(str(json, "Name"));
  details.created = str(json, "Created");
  details.image_id = str(json, "Image");
  details.restart_count = num<int>(json, "RestartCount");
  details.state = containerState(child(json, "State"));
  details.config = parseContainerConfig(child(json, "Config"));
  details.host_config = hostConfig(child(json, "HostConfig"));
  const Json& settings = child(json, "NetworkSettings");
  const Json& networks = child(settings, "Networks");
  if (networks.is_object()) {
    for (auto it = networks.begin(); it != networks.end(); ++it) {
      details.networks[it.key()] = attachment(it.value());
    }
  }
  details.ports = portBindings(child(settings, "Ports"));
  details.mounts = mounts(child(json, "Mounts"));
  details.raw = json;
  return details;
}

NetworkDetails parseNetwork(const Json& json) {
  NetworkDetails network;
  network.id = str(json, "Id");
  network.name = str(json, "Name");
  network.driver = str(json, "Driver");
  network.scope = str(json, "Scope");
  network.internal = flag(json, "Internal");
  network.attachable = flag(json, "Attachable");
  network.enable_ipv6 = flag(json, "EnableIPv6");
  network.options = stringMap(json, "Options");
  network.labels = stringMap(json, "Labels");
  const Json& pools = child(child(json, "IPAM"), "Config");
  if (pools.is_array()) {
    for (const auto& pool : pools) {
      network.ipam_config.push_back({str(pool, "Subnet"), str(pool, "IPRange"),
                                     str(pool, "Gateway"), stringMap(pool, "AuxiliaryAddresses")});
    }
  }
  const Json& containers = child(json, "Containers");
  if (containers.is_object()) {
    for (auto it = containers.begin(); it != containers.end(); ++it) {
      NetworkAttachment endpoint;
      endpoint.network_id = network.id;
      endpoint.ip_address = str(it.value(), "IPv4Address");
      endpoint.mac_address = str(it.value(), "MacAddress");
      network.containers[it.key()] = endpoint;
    }
  }
  return network;
}

VolumeDetails parseVolume(const Json& json) {
  VolumeDetails volume;
  volume.name = str(json, "Name");
  volume.driver = str(json, "Driver");
  volume.mountpoint = str(json, "Mountpoint");
  volume.created_at = str(json, "CreatedAt");
  volume.scope = str(json, "Scope");
  volume.labels = stringMap(json, "Labels");
  volume.options = stringMap(json, "Options");
  return volume;
}

ImageSummary parseImageSummary(const Json& json) {
  ImageSummary image;
  image.id = str(json, "Id");
  image.repo_tags = strings(json, "RepoTags");
  image.repo_digests = strings(json, "RepoDigests");
  image.created = num<int64_t>(json, "Created");
  image.size = num<int64_t>(json, "Size");
  image.labels = stringMap(json, "Labels");
  return image;
}

ImageDetails parseImageDetails(const Json& json) {
  ImageDetails image;
  image.id = str(json, "Id");
  image.repo_tags = strings(json, "RepoTags");
  image.repo_digests = strings(json, "RepoDigests");
  image.created = str(json, "Created");
  image.size = num<int64_t>(json, "Size");
  image.os = str(json, "Os");
  image.architecture = str(json, "Architecture");
  image.config = parseContainerConfig(child(json, "Config"));
  image.raw = json;
  return image;
}

ExecDetails parseExecDetails(const Json& json) {
  ExecDetails exec;
  exec.id = str(json, "ID");
  exec.running = flag(json, "Running");
  if (child(json, "ExitCode").is_number()) exec.exit_code = json["ExitCode"].get<int>();
  exec.pid = num<int>(json, "Pid");
  return exec;
}

}  // namespace stack::runtime::docker
