#include "orchestrator/planner/container_spec.hpp"

#include <algorithm>
#include <chrono>

#include "orchestrator/compose/labels.hpp"
#include "orchestrator/compose/policies.hpp"

namespace stack::orchestrator::planner {
namespace {

using compose::Project;
using compose::Service;
using runtime::ContainerCreateRequest;

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

int64_t seconds(const compose::Duration& duration) {
  return std::chrono::duration_cast<std::chrono::seconds>(duration).count();
}

// "service:X" and "container:X" forms of network_mode, ipc and pid, as the engine wants.
std::string namespaceMode(const Project& project, const std::string& mode) {
  if (mode.rfind("service:", 0) == 0) {
    const std::string target = mode.substr(8);
    auto it = project.services.find(target);
    const std::string name = it == project.services.end()
                                 ? compose::labels::containerName(project.name, target, 1)
                                 : serviceContainerName(project, it->second, 1);
    return "container:" + name;
  }
  return mode;
}

std::vector<std::string> environmentList(const Project& project, const Service& service) {
  std::vector<std::string> env;
  for (const auto& [key, value] : service.environment) {
    if (value) {
      env.push_back(key + "=" + *value);
    } else if (auto it = project.environment.find(key); it != project.environment.end()) {
      env.push_back(key + "=" + it->second);
    }  // an unset bare key stays unset, as in compose
  }
  return env;
}

runtime::StringMap containerLabels(const Project& project, const Service& service,
                                   const ContainerIdentity& identity) {
  runtime::StringMap out(service.labels.begin(), service.labels.end());
  auto put = [&out](std::string_view key, std::string value) {
    out[std::string(key)] = std::move(value);
  };
  put(compose::labels::kProject, project.name);
  put(compose::labels::kService, service.name);
  put(compose::labels::kContainerNumber, std::to_string(identity.number));
  put(compose::labels::kOneoff, identity.oneoff ? "True" : "False");
  put(compose::labels::kConfigHash, identity.config_hash);
  put(compose::labels::kVersion, std::string(compose::labels::kStackVersion));
  put(compose::labels::kWorkingDir, project.working_dir);
  put(compose::labels::kConfigFiles, join(project.config_files, ","));
  if (!project.env_files.empty())
    put(compose::labels::kEnvironmentFile, join(project.env_files, ","));
  if (!identity.image_id.empty()) put(compose::labels::kImage, identity.image_id);
  std::vector<std::string> deps;
  for (const auto& [name, dep] : service.depends_on) {
    deps.push_back(name + ":" + dep.condition + ":" + (dep.restart ? "true" : "false"));
  }
  if (!deps.empty()) put(compose::labels::kDependsOn, join(deps, ","));
  return out;
}

std::optional<runtime::HealthConfig> healthConfig(const Service& service) {
  if (!service.healthcheck) return std::nullopt;
  const auto& check = *service.healthcheck;
  runtime::HealthConfig health;
  if (check.disable) {
    health.test = {"NONE"};
    return health;
  }
  health.test = check.test;
  health.interval = check.interval.value_or(compose::Duration{0});
  health.timeout = check.timeout.value_or(compose::Duration{0});
  health.start_period = check.start_period.value_or(compose::Duration{0});
  health.retries = static_cast<int>(check.retries.value_or(0));
  return health;
}

runtime::RestartPolicySpec restartPolicy(const Service& service) {
  const compose::EffectiveRestartPolicy policy = compose::restartPolicyOf(service);
  return {policy.engineName(), policy.max_retries};
}

void addPorts(ContainerCreateRequest& request, const Service& service) {
  for (const auto& expose : service.expose) {
    std::string port = expose.find('/') == std::string::npos ? expose + "/tcp" : expose;
    request.config.exposed_ports.push_back(port);
  }
  for (const auto& port : service.ports) {
    const std::string key = std::to_string(port.target) + "/" + port.protocol;
    if (std::find(request.config.exposed_ports.begin(), request.config.exposed_ports.end(), key) ==
        request.config.exposed_ports.end()) {
      request.config.exposed_ports.push_back(key);
    }
    request.host_config.port_bindings[key].push_back({port.host_ip, port.published});
  }
}

// Binds for host paths the engine should create when missing (compose's default),
// Mounts for everything else.
void addVolumes(ContainerCreateRequest& request, const Project& project, const Service& service,
                const ContainerIdentity& identity) {
  auto& host = request.host_config;
  for (const auto& volume : service.volumes) {
    runtime::MountSpec mount;
    mount.type = volume.type;
    mount.target = volume.target;
    mount.read_only = volume.read_only;
    mount.consistency = volume.consistency;
    if (volume.type == "bind") {
      const bool create = !volume.bind || volume.bind->create_host_path.value_or(true);
      const std::string propagation = volume.bind ? volume.bind->propagation : "";
      const std::string selinux = volume.bind ? volume.bind->selinux : "";
      if (create) {
        std::vector<std::string> options;
        if (volume.read_only) options.push_back("ro");
        if (!propagation.empty()) options.push_back(propagation);
        if (!selinux.empty()) options.push_back(selinux);
        std::string bind = volume.source + ":" + volume.target;
        if (!options.empty()) bind += ":" + join(options, ",");
        host.binds.push_back(bind);
        continue;
      }
      mount.source = volume.source;
      mount.bind_propagation = propagation;
    } else if (volume.type == "volume") {
      if (volume.source.empty()) {
        auto inherited = identity.inherited_volumes.find(volume.target);
        if (inherited != identity.inherited_volumes.end()) {
          mount.source = inherited->second;
        } else {
          // A new anonymous volume carries the project label, so that `down -v` and
          // cleanups find it even when its container is gone (a killed `up`).
          mount.volume_labels[std::string(compose::labels::kProject)] = project.name;
        }
      } else {
        auto it = project.volumes.find(volume.source);
        mount.source = it == project.volumes.end() ? volume.source : it->second.name;
      }
      if (volume.volume) {
        mount.volume_no_copy = volume.volume->nocopy;
        mount.volume_subpath = volume.volume->subpath;
      }
    } else if (volume.type == "tmpfs" && volume.tmpfs) {
      mount.tmpfs_size_bytes = volume.tmpfs->size.value_or(0);
      mount.tmpfs_mode = volume.tmpfs->mode.value_or(0);
    } else {
      mount.source = volume.source;
    }
    host.mounts.push_back(std::move(mount));
  }
  for (const auto& tmpfs : service.tmpfs) {
    auto colon = tmpfs.find(':');
    host.tmpfs[tmpfs.substr(0, colon)] = colon == std::string::npos ? "" : tmpfs.substr(colon + 1);
  }
  for (const auto& from : service.volumes_from) {
    if (from.rfind("container:", 0) == 0) {
      host.volumes_from.push_back(from.substr(10));
      continue;
    }
    auto colon = from.find(':');
    const std::string target = from.substr(0, colon);
    const std::string mode = colon == std::string::npos ? "" : from.substr(colon);
    auto it = project.services.find(target);
    host.volumes_from.push_back((it == project.services.end()
                                     ? compose::labels::containerName(project.name, target, 1)
                                     : serviceContainerName(project, it->second, 1)) +
                                mode);
  }
}

void addNetworking(ContainerSpec& spec, const Project& project, const Service& service,
                   const ContainerIdentity& identity) {
  auto& host = spec.create.host_config;
  if (!service.network_mode.empty()) {
    host.network_mode = namespaceMode(project, service.network_mode);
    return;
  }
  bool first = true;
  for (const auto& key : serviceNetworkKeys(service)) {
    auto network = project.networks.find(key);
    const std::string engine_name = network == project.networks.end()
                                        ? compose::labels::resourceName(project.name, key)
                                        : network->second.name;
    runtime::EndpointSettings endpoint;
    endpoint.aliases.push_back(service.name);
    auto attachment = service.networks.find(key);
    if (attachment != service.networks.end() && attachment->second) {
      const auto& options = *attachment->second;
      endpoint.aliases.insert(endpoint.aliases.end(), options.aliases.begin(),
                              options.aliases.end());
      endpoint.ipv4_address = options.ipv4_address;
      endpoint.ipv6_address = options.ipv6_address;
      endpoint.link_local_ips = options.link_local_ips;
      endpoint.mac_address = options.mac_address;
      endpoint.driver_opts = {options.driver_opts.begin(), options.driver_opts.end()};
    }
    for (const auto& link : service.links) {
      auto colon = link.find(':');
      const std::string target = link.substr(0, colon);
      const std::string alias = colon == std::string::npos ? target : link.substr(colon + 1);
      auto it = project.services.find(target);
      if (it == project.services.end()) continue;
      endpoint.links.push_back(serviceContainerName(project, it->second, 1) + ":" + alias);
    }
    if (first) {
      host.network_mode = engine_name;
      spec.create.networks[engine_name] = std::move(endpoint);
      first = false;
    } else {
      spec.extra_networks.push_back({engine_name, std::move(endpoint)});
    }
  }
  (void)identity;
}

void addResources(runtime::HostConfig& host, const Service& service) {
  const compose::ResourceSpec* limits =
      service.deploy && service.deploy->limits ? &*service.deploy->limits : nullptr;
  const compose::ResourceSpec* reservations =
      service.deploy && service.deploy->reservations ? &*service.deploy->reservations : nullptr;
  host.memory = service.mem_limit.value_or(limits && limits->memory ? *limits->memory : 0);
  host.memory_reservation = service.mem_reservation.value_or(
      reservations && reservations->memory ? *reservations->memory : 0);
  host.memory_swap = service.memswap_limit.value_or(0);
  if (service.mem_swappiness) host.memory_swappiness = *service.mem_swappiness;
  const double cpus = service.cpus.value_or(limits && limits->cpus ? *limits->cpus : 0.0);
  host.nano_cpus = static_cast<int64_t>(cpus * 1e9);
  host.cpu_shares = service.cpu_shares.value_or(0);
  host.cpu_quota = service.cpu_quota.value_or(0);
  host.cpu_period = service.cpu_period.value_or(0);
  host.cpu_realtime_runtime = service.cpu_rt_runtime.value_or(0);
  host.cpu_realtime_period = service.cpu_rt_period.value_or(0);
  host.cpu_count = service.cpu_count.value_or(0);
  host.cpu_percent = static_cast<int64_t>(service.cpu_percent.value_or(0));
  host.cpuset_cpus = service.cpuset;
  if (service.pids_limit)
    host.pids_limit = *service.pids_limit;
  else if (limits && limits->pids)
    host.pids_limit = *limits->pids;
  for (const auto& [name, limit] : service.ulimits)
    host.ulimits.push_back({name, limit.soft, limit.hard});
  host.oom_kill_disable = service.oom_kill_disable;
  host.oom_score_adj = service.oom_score_adj.value_or(0);
}

void addDevices(runtime::HostConfig& host, const Service& service) {
  if (!service.devices.is_array()) return;
  for (const auto& device : service.devices) {
    runtime::DeviceMapping mapping;
    if (device.is_string()) {
      const std::string text = device.get<std::string>();
      const auto first = text.find(':');
      mapping.path_on_host = text.substr(0, first);
      mapping.path_in_container = mapping.path_on_host;
      if (first != std::string::npos) {
        const auto second = text.find(':', first + 1);
        mapping.path_in_container = text.substr(first + 1, second - first - 1);
        if (second != std::string::npos) mapping.cgroup_permissions = text.substr(second + 1);
      }
    } else if (device.is_object()) {
      mapping.path_on_host = device.value("source", "");
      mapping.path_in_container = device.value("target", mapping.path_on_host);
      mapping.cgroup_permissions = device.value("permissions", "");
    }
    host.devices.push_back(std::move(mapping));
  }
  host.device_cgroup_rules = service.device_cgroup_rules;
}

void addHostSettings(runtime::HostConfig& host, const Project& project, const Service& service) {
  host.restart_policy = restartPolicy(service);
  host.init = service.init;
  host.read_only = service.read_only;
  host.privileged = service.privileged;
  host.cap_add = service.cap_add;
  host.cap_drop = service.cap_drop;
  host.security_opt = service.security_opt;
  host.sysctls = {service.sysctls.begin(), service.sysctls.end()};
  host.shm_size = service.shm_size.value_or(0);
  host.dns = service.dns;
  host.dns_search = service.dns_search;
  host.dns_options = service.dns_opt;
  host.group_add = service.group_add;
  host.ipc_mode = namespaceMode(project, service.ipc);
  host.pid_mode = namespaceMode(project, service.pid);
  host.uts_mode = service.uts;
  host.cgroupns_mode = service.cgroup;
  host.cgroup_parent = service.cgroup_parent;
  host.userns_mode = service.userns_mode;
  host.runtime = service.runtime;
  host.isolation = service.isolation;
  host.storage_opt = {service.storage_opt.begin(), service.storage_opt.end()};
  for (const auto& entry : service.extra_hosts) {
    // compose prints "host=ip"; the engine wants "host:ip".
    auto equals = entry.find('=');
    host.extra_hosts.push_back(equals == std::string::npos
                                   ? entry
                                   : entry.substr(0, equals) + ":" + entry.substr(equals + 1));
  }
  if (service.logging) {
    host.log_config =
        runtime::LogConfigSpec{service.logging->driver,
                               {service.logging->options.begin(), service.logging->options.end()}};
  }
  addResources(host, service);
  addDevices(host, service);
}

void addProcessSettings(runtime::ContainerConfig& config, const Project& project,
                        const Service& service) {
  config.cmd = service.command;
  config.entrypoint = service.entrypoint;
  config.env = environmentList(project, service);
  config.working_dir = service.working_dir;
  config.user = service.user;
  config.hostname = service.hostname;
  config.domainname = service.domainname;
  config.mac_address = service.mac_address;
  config.stop_signal = service.stop_signal;
  if (service.stop_grace_period) {
    config.stop_timeout = static_cast<int>(seconds(*service.stop_grace_period));
  }
  config.tty = service.tty;
  config.open_stdin = service.stdin_open;
  config.attach_stdout = true;
  config.attach_stderr = true;
  config.healthcheck = healthConfig(service);
}

}  // namespace

std::vector<std::string> serviceNetworkKeys(const Service& service) {
  if (!service.network_mode.empty()) return {};
  std::vector<std::pair<int, std::string>> ordered;
  for (const auto& [key, attachment] : service.networks) {
    ordered.emplace_back(attachment && attachment->priority ? *attachment->priority : 0, key);
  }
  if (ordered.empty()) return {"default"};
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> keys;
  for (auto& [_, key] : ordered) keys.push_back(std::move(key));
  return keys;
}

std::string serviceContainerName(const Project& project, const Service& service, int number) {
  if (!service.container_name.empty()) return service.container_name;
  return compose::labels::containerName(project.name, service.name, number);
}

ContainerSpec containerSpec(const Project& project, const Service& service,
                            const ContainerIdentity& identity) {
  ContainerSpec spec;
  auto& request = spec.create;
  request.name = identity.name;
  request.platform = service.platform;
  request.config.image = serviceImage(project, service);
  request.config.labels = containerLabels(project, service, identity);
  addProcessSettings(request.config, project, service);
  addHostSettings(request.host_config, project, service);
  addPorts(request, service);
  addVolumes(request, project, service, identity);
  addFileMounts(request.host_config, project, service);
  spec.files = serviceFiles(project, service);
  addNetworking(spec, project, service, identity);
  return spec;
}

}  // namespace stack::orchestrator::planner
