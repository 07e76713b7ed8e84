#include "orchestrator/compose/serialize.hpp"

#include <cstdio>

#include "orchestrator/compose/units.hpp"

namespace stack::orchestrator::compose {
namespace {

// Sets `key` only when the value is not empty (Go's omitempty).
void put(Json& out, const char* key, const std::string& value) {
  if (!value.empty()) out[key] = value;
}
template <typename T>
void put(Json& out, const char* key, const std::optional<T>& value) {
  if (value) out[key] = *value;
}
void put(Json& out, const char* key, bool value) {
  if (value) out[key] = true;
}
template <typename Container>
void putAll(Json& out, const char* key, const Container& value) {
  if (!value.empty()) out[key] = value;
}
void putJson(Json& out, const char* key, const Json& value) {
  if (!value.is_null()) out[key] = value;
}
void putDuration(Json& out, const char* key, const std::optional<Duration>& value) {
  if (value) out[key] = formatDuration(*value);
}
void putBytes(Json& out, const char* key, const std::optional<int64_t>& value) {
  if (value && *value != 0) out[key] = std::to_string(*value);
}
std::string octal(uint32_t mode) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "0%o", mode);
  return buffer;
}

Json optionalMap(const OptionalStringMap& map) {
  Json out = Json::object();
  for (const auto& [key, value] : map) out[key] = value ? Json(*value) : Json(nullptr);
  return out;
}

Json buildToJson(const BuildConfig& b) {
  Json out = Json::object();
  put(out, "context", b.context);
  put(out, "dockerfile", b.dockerfile);
  put(out, "dockerfile_inline", b.dockerfile_inline);
  if (!b.args.empty()) out["args"] = optionalMap(b.args);
  putJson(out, "ssh", b.ssh);
  putAll(out, "labels", b.labels);
  putAll(out, "cache_from", b.cache_from);
  putAll(out, "cache_to", b.cache_to);
  put(out, "no_cache", b.no_cache);
  putAll(out, "additional_contexts", b.additional_contexts);
  put(out, "pull", b.pull);
  putAll(out, "extra_hosts", b.extra_hosts);
  put(out, "isolation", b.isolation);
  put(out, "network", b.network);
  put(out, "target", b.target);
  putJson(out, "secrets", b.secrets);
  putBytes(out, "shm_size", b.shm_size);
  putAll(out, "tags", b.tags);
  putJson(out, "ulimits", b.ulimits);
  putAll(out, "platforms", b.platforms);
  put(out, "privileged", b.privileged);
  return out;
}

Json portToJson(const PortConfig& p) {
  Json out = Json::object();
  put(out, "name", p.name);
  put(out, "mode", p.mode);
  put(out, "host_ip", p.host_ip);
  out["target"] = p.target;
  put(out, "published", p.published);
  put(out, "protocol", p.protocol);
  put(out, "app_protocol", p.app_protocol);
  return out;
}

Json volumeToJson(const ServiceVolume& v) {
  Json out = Json::object();
  put(out, "type", v.type);
  put(out, "source", v.source);
  put(out, "target", v.target);
  put(out, "read_only", v.read_only);
  put(out, "consistency", v.consistency);
  if (v.bind) {
    Json bind = Json::object();
    put(bind, "selinux", v.bind->selinux);
    put(bind, "propagation", v.bind->propagation);
    if (v.bind->create_host_path == false) bind["create_host_path"] = false;
    out["bind"] = std::move(bind);
  }
  if (v.volume) {
    Json volume = Json::object();
    put(volume, "nocopy", v.volume->nocopy);
    put(volume, "subpath", v.volume->subpath);
    out["volume"] = std::move(volume);
  }
  if (v.tmpfs) {
    Json tmpfs = Json::object();
    putBytes(tmpfs, "size", v.tmpfs->size);
    put(tmpfs, "mode", v.tmpfs->mode);
    out["tmpfs"] = std::move(tmpfs);
  }
  return out;
}

Json referencesToJson(const std::vector<FileReference>& refs) {
  Json out = Json::array();
  for (const auto& r : refs) {
    Json ref = Json::object();
    put(ref, "source", r.source);
    put(ref, "target", r.target);
    put(ref, "uid", r.uid);
    put(ref, "gid", r.gid);
    if (r.mode) ref["mode"] = octal(*r.mode);
    out.push_back(std::move(ref));
  }
  return out;
}

Json healthcheckToJson(const Healthcheck& h) {
  Json out = Json::object();
  putAll(out, "test", h.test);
  putDuration(out, "timeout", h.timeout);
  putDuration(out, "interval", h.interval);
  put(out, "retries", h.retries);
  putDuration(out, "start_period", h.start_period);
  putDuration(out, "start_interval", h.start_interval);
  put(out, "disable", h.disable);
  return out;
}

Json resourcesToJson(const ResourceSpec& r) {
  Json out = Json::object();
  put(out, "cpus", r.cpus);
  putBytes(out, "memory", r.memory);
  put(out, "pids", r.pids);
  putJson(out, "devices", r.devices);
  putJson(out, "generic_resources", r.generic_resources);
  return out;
}

Json deployToJson(const DeployConfig& d) {
  Json out = Json::object();
  put(out, "mode", d.mode);
  put(out, "replicas", d.replicas);
  putAll(out, "labels", d.labels);
  putJson(out, "update_config", d.update_config);
  putJson(out, "rollback_config", d.rollback_config);
  Json resources = Json::object();  // a struct in compose-go: always printed
  if (d.limits) resources["limits"] = resourcesToJson(*d.limits);
  if (d.reservations) resources["reservations"] = resourcesToJson(*d.reservations);
  out["resources"] = std::move(resources);
  if (d.restart_policy) {
    Json policy = Json::object();
    put(policy, "condition", d.restart_policy->condition);
    putDuration(policy, "delay", d.restart_policy->delay);
    put(policy, "max_attempts", d.restart_policy->max_attempts);
    putDuration(policy, "window", d.restart_policy->window);
    out["restart_policy"] = std::move(policy);
  }
  out["placement"] = d.placement.is_null() ? Json::object() : d.placement;
  put(out, "endpoint_mode", d.endpoint_mode);
  return out;
}

Json attachmentToJson(const ServiceNetwork& n) {
  Json out = Json::object();
  putAll(out, "aliases", n.aliases);
  putAll(out, "driver_opts", n.driver_opts);
  put(out, "ipv4_address", n.ipv4_address);
  put(out, "ipv6_address", n.ipv6_address);
  putAll(out, "link_local_ips", n.link_local_ips);
  put(out, "mac_address", n.mac_address);
  if (n.priority && *n.priority != 0) out["priority"] = *n.priority;
  return out;
}

}  // namespace

Json serviceProcessJson(const Service& s, Json& out);
Json serviceResourceJson(const Service& s, Json& out);

Json serviceToJson(const Service& s) {
  Json out = Json::object();
  putAll(out, "profiles", s.profiles);
  putAll(out, "annotations", s.annotations);
  put(out, "attach", s.attach);
  if (s.build) out["build"] = buildToJson(*s.build);
  out["command"] = s.command ? Json(*s.command) : Json(nullptr);
  out["entrypoint"] = s.entrypoint ? Json(*s.entrypoint) : Json(nullptr);
  if (!s.configs.empty()) out["configs"] = referencesToJson(s.configs);
  if (!s.secrets.empty()) out["secrets"] = referencesToJson(s.secrets);
  if (!s.depends_on.empty()) {
    Json deps = Json::object();
    for (const auto& [name, d] : s.depends_on) {
      Json dep = {{"condition", d.condition}, {"required", d.required}};
      if (d.restart) dep["restart"] = true;
      deps[name] = std::move(dep);
    }
    out["depends_on"] = std::move(deps);
  }
  if (s.deploy) out["deploy"] = deployToJson(*s.deploy);
  if (!s.environment.empty()) out["environment"] = optionalMap(s.environment);
  if (!s.env_file.empty()) {
    Json files = Json::array();
    for (const auto& f : s.env_file) {
      Json file = {{"path", f.path}};
      if (!f.required) file["required"] = false;
      put(file, "format", f.format);
      files.push_back(std::move(file));
    }
    out["env_file"] = std::move(files);
  }
  if (s.healthcheck) out["healthcheck"] = healthcheckToJson(*s.healthcheck);
  if (s.logging) {
    Json logging = Json::object();
    put(logging, "driver", s.logging->driver);
    putAll(logging, "options", s.logging->options);
    out["logging"] = std::move(logging);
  }
  if (!s.networks.empty()) {
    Json networks = Json::object();
    for (const auto& [name, n] : s.networks)
      networks[name] = n ? attachmentToJson(*n) : Json(nullptr);
    out["networks"] = std::move(networks);
  }
  if (!s.ports.empty()) {
    Json ports = Json::array();
    for (const auto& p : s.ports) ports.push_back(portToJson(p));
    out["ports"] = std::move(ports);
  }
  if (!s.volumes.empty()) {
    Json volumes = Json::array();
    for (const auto& v : s.volumes) volumes.push_back(volumeToJson(v));
    out["volumes"] = std::move(volumes);
  }
  serviceProcessJson(s, out);
  serviceResourceJson(s, out);
  return out;
}

Json serviceProcessJson(const Service& s, Json& out) {
  put(out, "image", s.image);
  put(out, "pull_policy", s.pull_policy);
  put(out, "platform", s.platform);
  put(out, "working_dir", s.working_dir);
  put(out, "user", s.user);
  put(out, "init", s.init);
  put(out, "tty", s.tty);
  put(out, "stdin_open", s.stdin_open);
  put(out, "stop_signal", s.stop_signal);
  putDuration(out, "stop_grace_period", s.stop_grace_period);
  put(out, "restart", s.restart);
  put(out, "scale", s.scale);
  putJson(out, "post_start", s.post_start);
  putJson(out, "pre_stop", s.pre_stop);
  put(out, "container_name", s.container_name);
  put(out, "hostname", s.hostname);
  put(out, "domainname", s.domainname);
  putAll(out, "labels", s.labels);
  put(out, "network_mode", s.network_mode);
  putAll(out, "expose", s.expose);
  putAll(out, "links", s.links);
  putAll(out, "external_links", s.external_links);
  putAll(out, "extra_hosts", s.extra_hosts);
  putAll(out, "dns", s.dns);
  putAll(out, "dns_search", s.dns_search);
  putAll(out, "dns_opt", s.dns_opt);
  put(out, "mac_address", s.mac_address);
  putAll(out, "volumes_from", s.volumes_from);
  putAll(out, "tmpfs", s.tmpfs);
  put(out, "read_only", s.read_only);
  putJson(out, "develop", s.develop);
  return out;
}

Json serviceResourceJson(const Service& s, Json& out) {
  putBytes(out, "shm_size", s.shm_size);
  putBytes(out, "mem_limit", s.mem_limit);
  putBytes(out, "mem_reservation", s.mem_reservation);
  putBytes(out, "memswap_limit", s.memswap_limit);
  if (s.mem_swappiness) out["mem_swappiness"] = std::to_string(*s.mem_swappiness);
  put(out, "cpus", s.cpus);
  put(out, "cpu_shares", s.cpu_shares);
  put(out, "cpu_quota", s.cpu_quota);
  put(out, "cpu_period", s.cpu_period);
  put(out, "cpu_rt_runtime", s.cpu_rt_runtime);
  put(out, "cpu_rt_period", s.cpu_rt_period);
  put(out, "cpu_count", s.cpu_count);
  put(out, "cpu_percent", s.cpu_percent);
  put(out, "cpuset", s.cpuset);
  put(out, "pids_limit", s.pids_limit);
  if (!s.ulimits.empty()) {
    Json ulimits = Json::object();
    for (const auto& [name, u] : s.ulimits) {
      ulimits[name] = u.soft == u.hard ? Json(u.soft) : Json{{"soft", u.soft}, {"hard", u.hard}};
    }
    out["ulimits"] = std::move(ulimits);
  }
  putAll(out, "cap_add", s.cap_add);
  putAll(out, "cap_drop", s.cap_drop);
  put(out, "privileged", s.privileged);
  putAll(out, "security_opt", s.security_opt);
  putAll(out, "sysctls", s.sysctls);
  putJson(out, "devices", s.devices);
  putAll(out, "device_cgroup_rules", s.device_cgroup_rules);
  putAll(out, "group_add", s.group_add);
  for (const auto& [key, value] : {std::pair{"ipc", &s.ipc},
                                   {"pid", &s.pid},
                                   {"uts", &s.uts},
                                   {"cgroup", &s.cgroup},
                                   {"cgroup_parent", &s.cgroup_parent},
                                   {"userns_mode", &s.userns_mode},
                                   {"runtime", &s.runtime},
                                   {"isolation", &s.isolation}}) {
    put(out, key, *value);
  }
  put(out, "oom_kill_disable", s.oom_kill_disable.value_or(false));
  if (s.oom_score_adj && *s.oom_score_adj != 0) out["oom_score_adj"] = *s.oom_score_adj;
  putAll(out, "storage_opt", s.storage_opt);
  putJson(out, "blkio_config", s.blkio_config);
  putJson(out, "credential_spec", s.credential_spec);
  putJson(out, "gpus", s.gpus);
  return out;
}

}  // namespace stack::orchestrator::compose
