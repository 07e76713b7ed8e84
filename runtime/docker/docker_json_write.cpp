// Writers: Engine value types to Docker Engine API request bodies.

#include <curl/curl.h>
#include <openssl/evp.h>

#include "runtime/docker/docker_json.hpp"

namespace stack::runtime::docker {
namespace {

using namespace stack::runtime;

// Sets `json[key]` only when the value is meaningful, so the engine keeps its default.
void putString(Json& json, const char* key, const std::string& value) {
  if (!value.empty()) json[key] = value;
}
template <class T>
void putNumber(Json& json, const char* key, T value) {
  if (value != 0) json[key] = value;
}
void putList(Json& json, const char* key, const std::vector<std::string>& values) {
  if (!values.empty()) json[key] = values;
}
void putMap(Json& json, const char* key, const StringMap& values) {
  if (!values.empty()) json[key] = values;
}

Json healthJson(const HealthConfig& health) {
  Json json = Json::object();
  json["Test"] = health.test;
  putNumber(json, "Interval", health.interval.count());
  putNumber(json, "Timeout", health.timeout.count());
  putNumber(json, "StartPeriod", health.start_period.count());
  putNumber(json, "Retries", health.retries);
  return json;
}

Json mountJson(const MountSpec& mount) {
  Json json = {{"Type", mount.type}, {"Target", mount.target}};
  putString(json, "Source", mount.source);
  if (mount.read_only) json["ReadOnly"] = true;
  putString(json, "Consistency", mount.consistency);
  if (mount.type == "bind" && !mount.bind_propagation.empty()) {
    json["BindOptions"] = {{"Propagation", mount.bind_propagation}};
  }
  if (mount.type == "volume") {
    Json options = Json::object();
    if (mount.volume_no_copy) options["NoCopy"] = true;
    putMap(options, "Labels", mount.volume_labels);
    if (!mount.volume_driver.empty()) {
      options["DriverConfig"] = {{"Name", mount.volume_driver},
                                 {"Options", mount.volume_driver_options}};
    }
    putString(options, "Subpath", mount.volume_subpath);
    if (!options.empty()) json["VolumeOptions"] = options;
  }
  if (mount.type == "tmpfs") {
    Json options = Json::object();
    putNumber(options, "SizeBytes", mount.tmpfs_size_bytes);
    putNumber(options, "Mode", mount.tmpfs_mode);
    if (!options.empty()) json["TmpfsOptions"] = options;
  }
  return json;
}

Json configJson(const ContainerConfig& config) {
  Json json = Json::object();
  json["Image"] = config.image;
  if (config.cmd) json["Cmd"] = *config.cmd;
  if (config.entrypoint) {
    // An empty Entrypoint must be sent as [""] to reset the image's; [] means "inherit".
    json["Entrypoint"] = config.entrypoint->empty() ? Json::array({""}) : Json(*config.entrypoint);
  }
  putList(json, "Env", config.env);
  putMap(json, "Labels", config.labels);
  if (!config.exposed_ports.empty()) {
    Json ports = Json::object();
    for (const auto& port : config.exposed_ports) ports[port] = Json::object();
    json["ExposedPorts"] = ports;
  }
  putString(json, "WorkingDir", config.working_dir);
  putString(json, "User", config.user);
  putString(json, "Hostname", config.hostname);
  putString(json, "Domainname", config.domainname);
  putString(json, "MacAddress", config.mac_address);
  putString(json, "StopSignal", config.stop_signal);
  if (config.stop_timeout) json["StopTimeout"] = *config.stop_timeout;
  json["Tty"] = config.tty;
  json["OpenStdin"] = config.open_stdin;
  json["StdinOnce"] = config.stdin_once;
  json["AttachStdin"] = config.attach_stdin;
  json["AttachStdout"] = config.attach_stdout;
  json["AttachStderr"] = config.attach_stderr;
  if (config.healthcheck) json["Healthcheck"] = healthJson(*config.healthcheck);
  return json;
}

void putResources(Json& json, const HostConfig& host) {
  putNumber(json, "Memory", host.memory);
  putNumber(json, "MemoryReservation", host.memory_reservation);
  putNumber(json, "MemorySwap", host.memory_swap);
  if (host.memory_swappiness) json["MemorySwappiness"] = *host.memory_swappiness;
  putNumber(json, "NanoCpus", host.nano_cpus);
  putNumber(json, "CpuShares", host.cpu_shares);
  putNumber(json, "CpuQuota", host.cpu_quota);
  putNumber(json, "CpuPeriod", host.cpu_period);
  putNumber(json, "CpuRealtimeRuntime", host.cpu_realtime_runtime);
  putNumber(json, "CpuRealtimePeriod", host.cpu_realtime_period);
  putNumber(json, "CpuCount", host.cpu_count);
  putNumber(json, "CpuPercent", host.cpu_percent);
  putString(json, "CpusetCpus", host.cpuset_cpus);
  if (host.pids_limit) json["PidsLimit"] = *host.pids_limit;
  if (!host.ulimits.empty()) {
    Json ulimits = Json::array();
    for (const auto& u : host.ulimits) {
      ulimits.push_back({{"Name", u.name}, {"Soft", u.soft}, {"Hard", u.hard}});
    }
    json["Ulimits"] = ulimits;
  }
  if (!host.devices.empty()) {
    Json devices = Json::array();
    for (const auto& d : host.devices) {
      devices.push_back(
          {{"PathOnHost", d.path_on_host},
           {"PathInContainer", d.path_in_container},
           {"CgroupPermissions", d.cgroup_permissions.empty() ? "rwm" : d.cgroup_permissions}});
    }
    json["Devices"] = devices;
  }
  putList(json, "DeviceCgroupRules", host.device_cgroup_rules);
  if (host.oom_kill_disable) json["OomKillDisable"] = *host.oom_kill_disable;
}

void putNamespacesAndSecurity(Json& json, const HostConfig& host) {
  putString(json, "NetworkMode", host.network_mode);
  putString(json, "IpcMode", host.ipc_mode);
  putString(json, "PidMode", host.pid_mode);
  putString(json, "UTSMode", host.uts_mode);
  putString(json, "CgroupnsMode", host.cgroupns_mode);
  putString(json, "CgroupParent", host.cgroup_parent);
  putString(json, "UsernsMode", host.userns_mode);
  putString(json, "Runtime", host.runtime);
  putString(json, "Isolation", host.isolation);
  putList(json, "CapAdd", host.cap_add);
  putList(json, "CapDrop", host.cap_drop);
  putList(json, "SecurityOpt", host.security_opt);
  putList(json, "GroupAdd", host.group_add);
  putMap(json, "Sysctls", host.sysctls);
  putMap(json, "StorageOpt", host.storage_opt);
  if (host.privileged) json["Privileged"] = true;
  if (host.read_only) json["ReadonlyRootfs"] = true;
  if (host.init) json["Init"] = *host.init;
  putNumber(json, "OomScoreAdj", host.oom_score_adj);
}

Json hostConfigJson(const HostConfig& host) {
  Json json = Json::object();
  putList(json, "Binds", host.binds);
  if (!host.mounts.empty()) {
    Json mounts = Json::array();
    for (const auto& mount : host.mounts) mounts.push_back(mountJson(mount));
    json["Mounts"] = mounts;
  }
  if (!host.port_bindings.empty()) {
    Json ports = Json::object();
    for (const auto& [port, bindings] : host.port_bindings) {
      Json list = Json::array();
      for (const auto& b : bindings)
        list.push_back({{"HostIp", b.host_ip}, {"HostPort", b.host_port}});
      ports[port] = list;
    }
    json["PortBindings"] = ports;
  }
  if (host.publish_all_ports) json["PublishAllPorts"] = true;
  if (!host.restart_policy.name.empty()) {
    json["RestartPolicy"] = {{"Name", host.restart_policy.name},
                             {"MaximumRetryCount", host.restart_policy.maximum_retry_count}};
  }
  if (host.auto_remove) json["AutoRemove"] = true;
  if (host.log_config) {
    json["LogConfig"] = {{"Type", host.log_config->type}, {"Config", host.log_config->config}};
  }
  putList(json, "ExtraHosts", host.extra_hosts);
  putNumber(json, "ShmSize", host.shm_size);
  putList(json, "Dns", host.dns);
  putList(json, "DnsSearch", host.dns_search);
  putList(json, "DnsOptions", host.dns_options);
  putMap(json, "Tmpfs", host.tmpfs);
  putList(json, "VolumesFrom", host.volumes_from);
  putList(json, "Links", host.links);
  putResources(json, host);
  putNamespacesAndSecurity(json, host);
  if (host.extra.is_object()) json.update(host.extra);
  return json;
}

}  // namespace

Json endpointSettingsJson(const EndpointSettings& endpoint) {
  Json json = Json::object();
  putString(json, "NetworkID", endpoint.network_id);
  putList(json, "Aliases", endpoint.aliases);
  putList(json, "Links", endpoint.links);
  putString(json, "MacAddress", endpoint.mac_address);
  putMap(json, "DriverOpts", endpoint.driver_opts);
  Json ipam = Json::object();
  putString(ipam, "IPv4Address", endpoint.ipv4_address);
  putString(ipam, "IPv6Address", endpoint.ipv6_address);
  putList(ipam, "LinkLocalIPs", endpoint.link_local_ips);
  if (!ipam.empty()) json["IPAMConfig"] = ipam;
  return json;
}

Json containerCreateBody(const ContainerCreateRequest& request) {
  Json body = configJson(request.config);
  body["HostConfig"] = hostConfigJson(request.host_config);
  if (!request.networks.empty()) {
    Json endpoints = Json::object();
    for (const auto& [name, endpoint] : request.networks) {
      endpoints[name] = endpointSettingsJson(endpoint);
    }
    body["NetworkingConfig"] = {{"EndpointsConfig", endpoints}};
  }
  return body;
}

Json networkCreateBody(const NetworkCreateRequest& request) {
  Json body = {{"Name", request.name},
               {"CheckDuplicate", true},
               {"Driver", request.driver.empty() ? "bridge" : request.driver},
               {"Internal", request.internal},
               {"Attachable", request.attachable},
               {"EnableIPv6", request.enable_ipv6}};
  putMap(body, "Options", request.options);
  putMap(body, "Labels", request.labels);
  if (!request.ipam_driver.empty() || !request.ipam_config.empty() ||
      !request.ipam_options.empty()) {
    Json pools = Json::array();
    for (const auto& pool : request.ipam_config) {
      Json entry = Json::object();
      putString(entry, "Subnet", pool.subnet);
      putString(entry, "IPRange", pool.ip_range);
      putString(entry, "Gateway", pool.gateway);
      putMap(entry, "AuxiliaryAddresses", pool.aux_addresses);
      pools.push_back(entry);
    }
    body["IPAM"] = {{"Driver", request.ipam_driver.empty() ? "default" : request.ipam_driver},
                    {"Config", pools}};
    putMap(body["IPAM"], "Options", request.ipam_options);
  }
  return body;
}

Json volumeCreateBody(const VolumeCreateRequest& request) {
  Json body = {{"Name", request.name}};
  putString(body, "Driver", request.driver);
  putMap(body, "DriverOpts", request.driver_opts);
  putMap(body, "Labels", request.labels);
  return body;
}

Json execCreateBody(const ExecSpec& spec) {
  Json body = {{"Cmd", spec.cmd},
               {"AttachStdin", spec.attach_stdin},
               {"AttachStdout", spec.attach_stdout},
               {"AttachStderr", spec.attach_stderr},
               {"Tty", spec.tty},
               {"Privileged", spec.privileged}};
  putList(body, "Env", spec.env);
  putString(body, "User", spec.user);
  putString(body, "WorkingDir", spec.working_dir);
  return body;
}

std::string urlEncode(std::string_view value) {
  char* escaped = curl_easy_escape(nullptr, value.data(), static_cast<int>(value.size()));
  std::string out = escaped ? escaped : "";
  curl_free(escaped);
  return out;
}

std::string filtersParam(const ListFilter& filter) {
  Json filters = Json::object();
  if (!filter.labels.empty()) filters["label"] = filter.labels;
  if (!filter.names.empty()) filters["name"] = filter.names;
  if (!filter.ids.empty()) filters["id"] = filter.ids;
  if (filters.empty()) return {};
  return urlEncode(filters.dump());
}

std::string base64(std::string_view bytes, bool url) {
  std::string encoded(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int size = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                                   reinterpret_cast<const unsigned char*>(bytes.data()),
                                   static_cast<int>(bytes.size()));
  encoded.resize(static_cast<size_t>(size));
  if (url) {
    for (char& c : encoded) {
      if (c == '+') c = '-';
      if (c == '/') c = '_';
    }
  }
  return encoded;
}

Json authJson(const runtime::RegistryAuth& auth) {
  if (!auth.identity_token.empty()) return {{"identitytoken", auth.identity_token}};
  if (auth.empty()) return Json::object();
  return {{"username", auth.username},
          {"password", auth.password},
          {"serveraddress", auth.server_address}};
}

std::string registryAuthHeader(const runtime::RegistryAuth& auth) {
  return "X-Registry-Auth: " + base64(authJson(auth).dump(), true);
}

}  // namespace stack::runtime::docker
