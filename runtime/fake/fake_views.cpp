// What inspect and list return: the Engine value types plus, for inspect, the raw JSON
// document with dockerd's field names (the parts of it this model knows).
#include "runtime/fake/fake_daemon.hpp"

namespace stack::runtime::fake::detail {
namespace {

using nlohmann::json;

json healthJson(const HealthConfig& hc) {
  return {{"Test", hc.test},
          {"Interval", hc.interval.count()},
          {"Timeout", hc.timeout.count()},
          {"StartPeriod", hc.start_period.count()},
          {"Retries", hc.retries}};
}

json configJson(const ContainerConfig& c) {
  json exposed = json::object();
  for (const auto& port : c.exposed_ports) exposed[port] = json::object();
  json out = {{"Hostname", c.hostname},
              {"Domainname", c.domainname},
              {"User", c.user},
              {"AttachStdin", c.attach_stdin},
              {"AttachStdout", c.attach_stdout},
              {"AttachStderr", c.attach_stderr},
              {"ExposedPorts", exposed},
              {"Tty", c.tty},
              {"OpenStdin", c.open_stdin},
              {"StdinOnce", c.stdin_once},
              {"Env", c.env},
              {"Image", c.image},
              {"WorkingDir", c.working_dir},
              {"Labels", c.labels}};
  out["Cmd"] = c.cmd ? json(*c.cmd) : json(nullptr);
  out["Entrypoint"] = c.entrypoint ? json(*c.entrypoint) : json(nullptr);
  if (!c.stop_signal.empty()) out["StopSignal"] = c.stop_signal;
  if (c.stop_timeout) out["StopTimeout"] = *c.stop_timeout;
  if (c.healthcheck) out["Healthcheck"] = healthJson(*c.healthcheck);
  return out;
}

json hostConfigJson(const HostConfig& h) {
  json bindings = json::object();
  for (const auto& [port, list] : h.port_bindings) {
    bindings[port] = json::array();
    for (const auto& b : list)
      bindings[port].push_back({{"HostIp", b.host_ip}, {"HostPort", b.host_port}});
  }
  json mounts = json::array();
  for (const auto& m : h.mounts)
    mounts.push_back(
        {{"Type", m.type}, {"Source", m.source}, {"Target", m.target}, {"ReadOnly", m.read_only}});
  json out = {{"Binds", h.binds},
              {"NetworkMode", h.network_mode},
              {"PortBindings", bindings},
              {"RestartPolicy",
               {{"Name", h.restart_policy.name},
                {"MaximumRetryCount", h.restart_policy.maximum_retry_count}}},
              {"AutoRemove", h.auto_remove},
              {"PublishAllPorts", h.publish_all_ports},
              {"Privileged", h.privileged},
              {"ReadonlyRootfs", h.read_only},
              {"Mounts", mounts},
              {"ExtraHosts", h.extra_hosts},
              {"CapAdd", h.cap_add},
              {"CapDrop", h.cap_drop}};
  if (h.init) out["Init"] = *h.init;
  if (h.extra.is_object()) out.update(h.extra);
  return out;
}

json stateJson(const ContainerState& s) {
  json out = {{"Status", s.status},
              {"Running", s.running},
              {"Paused", s.paused},
              {"Restarting", s.restarting},
              {"OOMKilled", s.oom_killed},
              {"Dead", s.dead},
              {"Pid", s.pid},
              {"ExitCode", s.exit_code},
              {"Error", s.error},
              {"StartedAt", s.started_at},
              {"FinishedAt", s.finished_at}};
  if (s.health) {
    json log = json::array();
    for (const auto& e : s.health->log)
      log.push_back(
          {{"Start", e.start}, {"End", e.end}, {"ExitCode", e.exit_code}, {"Output", e.output}});
    out["Health"] = {
        {"Status", s.health->status}, {"FailingStreak", s.health->failing_streak}, {"Log", log}};
  }
  return out;
}

// The inspect document as dockerd writes it (the parts this model knows).
json inspectJson(const ContainerRecord& c, const ContainerDetails& d) {
  json networks = json::object();
  for (const auto& [name, a] : d.networks)
    networks[name] = {{"NetworkID", a.network_id},
                      {"IPAddress", a.ip_address},
                      {"MacAddress", a.mac_address},
                      {"Aliases", a.aliases}};
  json ports = json::object();
  for (const auto& [key, list] : d.ports) {
    ports[key] = list.empty() ? json(nullptr) : json::array();
    for (const auto& b : list)
      ports[key].push_back({{"HostIp", b.host_ip}, {"HostPort", b.host_port}});
  }
  json mounts = json::array();
  for (const auto& m : d.mounts)
    mounts.push_back({{"Type", m.type},
                      {"Name", m.name},
                      {"Source", m.source},
                      {"Destination", m.destination},
                      {"RW", m.read_write}});
  const auto& argv = c.config.entrypoint && !c.config.entrypoint->empty()
                         ? *c.config.entrypoint
                         : c.config.cmd.value_or(std::vector<std::string>{});
  return {{"Id", c.id},
          {"Created", d.created},
          {"Name", "/" + c.name},
          {"Image", c.image_id},
          {"RestartCount", c.restart_count},
          {"Path", argv.empty() ? "" : argv.front()},
          {"State", stateJson(d.state)},
          {"Config", configJson(c.config)},
          {"HostConfig", hostConfigJson(c.host_config)},
          {"NetworkSettings", {{"Ports", ports}, {"Networks", networks}}},
          {"Mounts", mounts}};
}

}  // namespace

ContainerDetails Daemon::details(const ContainerRecord& c) {
  ContainerDetails d;
  d.id = c.id;
  d.name = c.name;
  d.created = rfc3339Nano(c.created);
  d.image_id = c.image_id;
  d.restart_count = c.restart_count;
  d.state.status = c.stateString();
  d.state.running = c.running();
  d.state.paused = c.state == RunState::Paused;
  d.state.restarting = c.state == RunState::Restarting;
  d.state.dead = c.state == RunState::Dead;
  d.state.oom_killed = c.oom_killed;
  d.state.pid = c.pid;
  d.state.exit_code = c.exit_code;
  d.state.error = c.error;
  d.state.started_at = rfc3339Nano(c.started_at);
  d.state.finished_at = rfc3339Nano(c.finished_at);
  d.state.health = c.health;
  d.config = c.config;
  d.host_config = c.host_config;
  for (const auto& [name, ep] : c.networks)
    d.networks[name] = NetworkAttachment{ep.network_id, ep.ip, ep.mac,
                                         ep.aliases.empty() ? ep.config.aliases : ep.aliases};
  d.ports = c.ports;
  for (const auto& m : c.mounts)
    d.mounts.push_back(MountSummary{m.type, m.name, m.source, m.destination, m.read_write});
  d.raw = inspectJson(c, d);
  return d;
}

ContainerSummary Daemon::summary(const ContainerRecord& c) {
  ContainerSummary s;
  s.id = c.id;
  s.name = c.name;
  s.image = c.config.image;
  s.image_id = c.image_id;
  std::vector<std::string> argv = c.config.entrypoint.value_or(std::vector<std::string>{});
  const auto cmd = c.config.cmd.value_or(std::vector<std::string>{});
  argv.insert(argv.end(), cmd.begin(), cmd.end());
  s.command = joinCommand(argv);
  s.created = c.created.count() / 1000000000;
  s.state = c.stateString();
  const Timestamp now = clock.now();
  // container/state.go String()
  switch (c.state) {
    case RunState::Created:
      s.status = "Created";
      break;
    case RunState::Running:
      s.status = "Up " + humanDuration(now - c.started_at);
      if (c.health)
        s.status +=
            c.health->status == "starting" ? " (health: starting)" : " (" + c.health->status + ")";
      break;
    case RunState::Paused:
      s.status = "Up " + humanDuration(now - c.started_at) + " (Paused)";
      break;
    case RunState::Restarting:
      s.status = "Restarting (" + std::to_string(c.exit_code) + ") " +
                 humanDuration(now - c.finished_at) + " ago";
      break;
    case RunState::Exited:
      s.status = "Exited (" + std::to_string(c.exit_code) + ") " +
                 humanDuration(now - c.finished_at) + " ago";
      break;
    case RunState::Dead:
      s.status = "Dead";
      break;
  }
  s.labels = c.config.labels;
  for (const auto& [key, bindings] : c.ports) {
    const auto [port, proto] = splitPortProto(key);
    if (bindings.empty()) s.ports.push_back(PortSummary{"", port, 0, proto});
    for (const auto& b : bindings)
      s.ports.push_back(
          PortSummary{b.host_ip, port, static_cast<uint16_t>(std::stoi(b.host_port)), proto});
  }
  for (const auto& [name, ep] : c.networks) {
    s.networks.push_back(name);
    const std::string& id = ep.network_id.empty() ? ep.config.network_id : ep.network_id;
    if (!id.empty()) s.network_ids[name] = id;
  }
  for (const auto& m : c.mounts)
    s.mounts.push_back(MountSummary{m.type, m.name, m.source, m.destination, m.read_write});
  return s;
}

NetworkDetails Daemon::networkDetails(const NetworkRecord& n, bool with_containers) const {
  NetworkDetails d;
  d.id = n.id;
  d.name = n.name;
  d.driver = n.driver;
  d.scope = n.driver == "overlay" ? "swarm" : "local";  // as dockerd reports overlay networks
  d.internal = n.internal;
  d.attachable = n.attachable;
  d.enable_ipv6 = n.enable_ipv6;
  d.options = n.options;
  d.labels = n.labels;
  d.ipam_config = n.ipam_config;
  if (!with_containers) return d;
  for (const auto& [id, ip] : n.active) {
    NetworkAttachment a;
    a.network_id = n.id;
    // network inspect shows the address with its prefix length, as dockerd does.
    if (!ip.empty()) a.ip_address = ip + "/" + std::to_string(n.prefix);
    if (auto c = containers.find(id); c != containers.end()) {
      const auto ep = c->second->networks.find(n.name);
      if (ep != c->second->networks.end()) {
        a.mac_address = ep->second.mac;
        a.aliases = ep->second.aliases;
      }
    }
    d.containers[id] = a;
  }
  return d;
}

VolumeDetails Daemon::volumeDetails(const VolumeRecord& v) const {
  return VolumeDetails{v.name,
                       v.driver,
                       "/var/lib/docker/volumes/" + v.name + "/_data",
                       rfc3339Nano(v.created),
                       "local",
                       v.labels,
                       v.options};
}

ImageDetails Daemon::imageDetails(const ImageRecord& i) const {
  ImageDetails d;
  d.id = i.id;
  d.repo_tags = i.tags;
  d.repo_digests = i.digests;
  d.created = rfc3339Nano(i.created);
  d.size = i.size;
  d.os = i.os;
  d.architecture = i.architecture;
  d.config = i.config;
  d.raw = {{"Id", i.id},
           {"RepoTags", i.tags},
           {"RepoDigests", i.digests},
           {"Created", d.created},
           {"Size", i.size},
           {"Os", i.os},
           {"Architecture", i.architecture},
           {"Config", configJson(i.config)}};
  return d;
}

ImageSummary Daemon::imageSummary(const ImageRecord& i) const {
  return ImageSummary{i.id,   i.tags,         i.digests, i.created.count() / 1000000000,
                      i.size, i.config.labels};
}

}  // namespace stack::runtime::fake::detail
