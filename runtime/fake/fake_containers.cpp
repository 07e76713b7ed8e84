// Container lifecycle calls, with dockerd 20.10's checks, messages and events
// (daemon/create.go, start.go, kill.go, pause.go, delete.go, rename.go).
#include <algorithm>
#include <csignal>

#include "runtime/fake/fake_daemon.hpp"
#include "runtime/file_archive.hpp"

namespace stack::runtime::fake::detail {
namespace {

constexpr const char* kNameChars = "[a-zA-Z0-9][a-zA-Z0-9_.-]";

Error invalidName(const std::string& name) {
  return engineError("Invalid container name (" + name + "), only " + kNameChars + " are allowed");
}

Error nameInUse(const std::string& name, const std::string& id) {
  return conflict(
      "Conflict. The container name \"/" + name + "\" is already in use by container \"" + id +
      "\". You have to remove (or rename) that container to be able to reuse that name.");
}

void validateRestartPolicy(const HostConfig& host) {
  const auto& policy = host.restart_policy;
  const std::string& name = policy.name;
  if (name != "" && name != "no" && name != "always" && name != "unless-stopped" &&
      name != "on-failure")
    throw engineError("invalid restart policy '" + name + "'");
  if (policy.maximum_retry_count < 0) throw engineError("maximum retry count cannot be negative");
  if (policy.maximum_retry_count > 0 && name != "on-failure")
    throw engineError("maximum retry count cannot be used with restart policy '" + name + "'");
  if (host.auto_remove && name != "" && name != "no")
    throw engineError("can't create 'AutoRemove' container with restart policy");
}

// daemon/container.go verifyContainerSettings: 0 inherits, otherwise at least 1 ms.
void validateHealthcheck(const ContainerConfig& config) {
  if (!config.healthcheck) return;
  const HealthConfig& hc = *config.healthcheck;
  const std::pair<const char*, nanoseconds> durations[] = {
      {"Interval", hc.interval}, {"Timeout", hc.timeout}, {"StartPeriod", hc.start_period}};
  for (const auto& [name, value] : durations)
    if (value.count() != 0 && value < std::chrono::milliseconds(1))
      throw engineError(std::string(name) + " in Healthcheck cannot be less than 1ms");
  if (hc.retries < 0) throw engineError("Retries in Healthcheck cannot be negative");
}

void validateNetworking(const ContainerCreateRequest& request) {
  if (request.networks.size() <= 1) return;
  std::string names;
  for (const auto& [name, settings] : request.networks) names += (names.empty() ? "" : ", ") + name;
  throw engineError("Container cannot be connected to network endpoints: " + names);
}

// dockerd's names are "adjective_scientist"; these are deterministic.
std::string generatedName(uint64_t sequence) {
  static const char* const adjectives[] = {"brave", "calm", "eager", "gentle", "happy",
                                           "jolly", "keen", "lucid", "modest", "nifty"};
  static const char* const names[] = {"turing", "hopper", "lovelace", "ritchie",  "thompson",
                                      "knuth",  "liskov", "dijkstra", "hamilton", "torvalds"};
  return std::string(adjectives[sequence % 10]) + "_" + names[(sequence / 10) % 10];
}

}  // namespace

ContainerConfig Daemon::mergeImageConfig(const ContainerConfig& user,
                                         const ImageRecord& image) const {
  // daemon/commit.go merge(): the user's values win, the image fills the gaps.
  ContainerConfig out = user;
  const ContainerConfig& img = image.config;
  const bool user_entrypoint = out.entrypoint && !out.entrypoint->empty();
  if (!user_entrypoint) {
    if (!out.cmd || out.cmd->empty()) out.cmd = img.cmd;
    if (!out.entrypoint) out.entrypoint = img.entrypoint;
  }
  std::vector<std::string> env = img.env;
  for (const auto& entry : user.env) {
    const std::string key = entry.substr(0, entry.find('='));
    std::erase_if(env, [&](const std::string& e) { return e.substr(0, e.find('=')) == key; });
    env.push_back(entry);
  }
  out.env = env;
  StringMap labels = img.labels;
  for (const auto& [key, value] : user.labels) labels[key] = value;
  out.labels = labels;
  for (const auto& port : img.exposed_ports)
    if (std::find(out.exposed_ports.begin(), out.exposed_ports.end(), port) ==
        out.exposed_ports.end())
      out.exposed_ports.push_back(port);
  if (out.working_dir.empty()) out.working_dir = img.working_dir;
  if (out.user.empty()) out.user = img.user;
  if (out.stop_signal.empty()) out.stop_signal = img.stop_signal;
  if (!out.healthcheck) {
    out.healthcheck = img.healthcheck;
  } else if (img.healthcheck) {
    auto& hc = *out.healthcheck;
    if (hc.test.empty()) hc.test = img.healthcheck->test;
    if (hc.interval.count() == 0) hc.interval = img.healthcheck->interval;
    if (hc.timeout.count() == 0) hc.timeout = img.healthcheck->timeout;
    if (hc.start_period.count() == 0) hc.start_period = img.healthcheck->start_period;
    if (hc.retries == 0) hc.retries = img.healthcheck->retries;
  }
  return out;
}

std::string Daemon::createContainer(const ContainerCreateRequest& request) {
  std::string name = request.name;
  if (!name.empty() && !validContainerName(name)) throw invalidName(name);
  if (!name.empty() && name.front() == '/') name.erase(0, 1);
  validateRestartPolicy(request.host_config);
  validateHealthcheck(request.config);
  validateNetworking(request);
  ImageRecord& image = requireImage(request.config.image);
  ContainerConfig config = mergeImageConfig(request.config, image);
  if ((!config.cmd || config.cmd->empty()) && (!config.entrypoint || config.entrypoint->empty()))
    throw engineError("No command specified");
  if (!name.empty())
    if (auto other = findContainer(name); other && other->name == name)
      throw nameInUse(name, other->id);

  auto c = std::make_shared<ContainerRecord>(executor);
  c->sequence = ++sequence_;
  c->id = newId("container", name);
  if (name.empty()) {
    name = generatedName(c->sequence);
    if (findContainer(name)) name += "_" + std::to_string(c->sequence);
  }
  c->name = name;
  c->created = clock.now();
  c->config = std::move(config);
  if (c->config.hostname.empty()) c->config.hostname = c->id.substr(0, 12);
  c->host_config = request.host_config;
  if (c->host_config.network_mode.empty()) c->host_config.network_mode = "default";
  c->image_id = image.id;
  const auto ref = parseImageReference(request.config.image);
  c->script_keys = {c->name, request.config.image};
  if (ref) {
    c->script_keys.push_back(ref->familiar());
    if (ref->tag == "latest") c->script_keys.push_back(ref->repository);
  }
  c->script_keys.insert(c->script_keys.end(), {image.id, ""});
  c->mounts = prepareMounts(request.host_config);
  initNetworks(*c, request);
  containers.emplace(c->id, c);
  containerEvent(*c, "create");
  return c->id;
}

void Daemon::initNetworks(ContainerRecord& c, const ContainerCreateRequest& request) {
  // daemon/container_operations.go updateContainerNetworkSettings: the endpoints the
  // request names, else the network of NetworkMode; "default" is the bridge.
  const std::string& mode = c.host_config.network_mode;
  if (mode.rfind("container:", 0) == 0) return;
  const std::string mode_network = mode == "default" ? "bridge" : mode;
  auto add = [&](std::string key, const EndpointSettings& settings) {
    if (key == "default") key = "bridge";
    EndpointRecord ep;
    ep.config = settings;
    ep.network_id = settings.network_id;  // a given NetworkID wins over the name
    if (auto* n = findNetwork(settings.network_id.empty() ? key : settings.network_id)) {
      key = n->name;
    }
    c.networks[key] = std::move(ep);
  };
  if (request.networks.empty()) add(mode_network, {});
  for (const auto& [key, settings] : request.networks) add(key, settings);
}

void Daemon::startContainer(ContainerRecord& c) {
  if (c.state == RunState::Paused)
    throw conflict("cannot start a paused container, try unpause instead");
  if (c.running()) return;  // 304: already running (or restarting)
  if (c.state == RunState::Dead)
    throw conflict("container is marked for removal and cannot be started");
  runContainer(c, true);
}

// daemon/kill.go killWithSignal: any signal marks the manual stop; SIGKILL and the stop
// signal (any signal when none is configured) also cancel the restart manager.
void Daemon::signalContainer(ContainerRecord& c, int signal) {
  c.manually_stopped = true;
  const auto stop_signal = parseSignal(c.config.stop_signal);
  const bool exit_on_next =
      signal == SIGKILL || c.config.stop_signal.empty() || stop_signal == signal;
  if (exit_on_next) c.restart_cancelled = true;
  if (c.state == RunState::Restarting) {
    if (c.restart_cancelled) cancelRestart(c);
    return;
  }
  containerEvent(c, "kill", {{"signal", std::to_string(signal)}});
  // A paused container is resumed after a terminating signal, so that it can act on it.
  if (exit_on_next && c.state == RunState::Paused) unpauseContainer(c);
  deliverSignal(c, signal);
}

void Daemon::cancelRestart(ContainerRecord& c) {
  if (c.restart_timer) clock.cancel(*c.restart_timer);
  c.restart_timer.reset();
  if (c.state == RunState::Restarting) {
    c.state = RunState::Exited;
    c.changed.notify();
    autoRemove(c);
  }
}

bool Daemon::sendStopSignal(ContainerRecord& c) {
  const int signal = parseSignal(c.config.stop_signal).value_or(SIGTERM);
  const bool restarting = c.state == RunState::Restarting;
  signalContainer(c, signal);
  return !restarting;
}

void Daemon::killContainer(ContainerRecord& c, const std::string& signal_text) {
  int signal = SIGKILL;
  if (!signal_text.empty()) {
    const auto parsed = parseSignal(signal_text);
    if (!parsed) throw engineError("Invalid signal: " + signal_text);
    signal = *parsed;
  }
  if (!c.running())
    throw conflict("Cannot kill container: " + c.name + ": Container " + c.id + " is not running");
  signalContainer(c, signal);
}

void Daemon::pauseContainer(ContainerRecord& c) {
  if (!c.running()) throw conflict("Container " + c.id + " is not running");
  if (c.state == RunState::Paused) throw conflict("Container " + c.id + " is already paused");
  if (c.state == RunState::Restarting)
    throw conflict("Container " + c.id + " is restarting, wait until the container is running");
  freezeProcess(c);
  stopHealthMonitor(c);
  c.state = RunState::Paused;
  containerEvent(c, "pause");
  c.changed.notify();
}

void Daemon::unpauseContainer(ContainerRecord& c) {
  if (c.state != RunState::Paused) throw conflict("Container " + c.id + " is not paused");
  c.state = RunState::Running;
  resumeProcess(c);
  startHealthMonitor(c);
  containerEvent(c, "unpause");
  c.changed.notify();
}

void Daemon::removeContainer(ContainerRecord& c, RemoveOptions options) {
  if (c.running()) {
    if (!options.force) {
      const std::string state = c.stateString();
      std::string procedure = "Stop the container before attempting removal or force remove";
      if (state == "paused")
        procedure = "Unpause and then stop the container before attempting removal or force remove";
      throw conflict("You cannot remove a " + state + " container " + c.id + ". " + procedure);
    }
    signalContainer(c, SIGKILL);
    if (c.removed) return;  // AutoRemove got there first
  }
  auto keep = containers.at(c.id);  // the record outlives the erase below
  c.state = RunState::Dead;
  c.removed = true;
  containers.erase(c.id);
  std::erase_if(execs, [&](const auto& entry) { return entry.second->container_id == c.id; });
  if (options.volumes)
    for (const auto& mount : c.mounts)
      if (mount.anonymous && findVolume(mount.name) && volumeUsers(mount.name).empty())
        removeVolume(mount.name, true);
  containerEvent(c, "destroy");
  c.changed.notify();
}

void Daemon::autoRemove(ContainerRecord& c) {
  if (c.host_config.auto_remove && !c.removed && !c.running())
    removeContainer(c, RemoveOptions{true, true});
}

// daemon/archive.go containerExtractToDir: the destination must exist (only "/" and the
// parents of copied files do here) and the root filesystem must be writable.
void Daemon::copyToContainer(ContainerRecord& c, const std::string& path, BodySource* tar) {
  std::string dir = path;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  const bool exists = dir == "/" || std::any_of(c.files.begin(), c.files.end(), [&](const auto& f) {
                        return f.first.rfind(dir + "/", 0) == 0;
                      });
  if (!exists) {
    throw Error(ErrorKind::NotFound, "Could not find the file " + path + " in container " + c.name);
  }
  if (c.host_config.read_only) throw engineError("container rootfs is marked read-only");
  std::string bytes;
  char buffer[65536];
  for (size_t n = tar ? tar->read(buffer, sizeof buffer) : 0; n > 0;
       n = tar->read(buffer, sizeof buffer)) {
    bytes.append(buffer, n);
  }
  for (auto& file : filesOf(bytes)) {
    file.path = (dir == "/" ? "" : dir) + "/" + file.path;
    c.files[file.path] = std::move(file);
  }
}

void Daemon::renameContainer(ContainerRecord& c, const std::string& new_name) {
  std::string name = new_name;
  if (name.empty()) throw engineError("Neither old nor new names may be empty");
  if (!validContainerName(name)) throw invalidName(name);
  if (name.front() == '/') name.erase(0, 1);
  if (name == c.name)
    throw engineError("Renaming a container with the same name as its current name");
  if (auto other = findContainer(name); other && other->name == name) {
    Error error = nameInUse(name, other->id);
    throw conflict("Error when allocating new name: " + error.message());
  }
  const std::string old_name = "/" + c.name;
  c.name = name;
  containerEvent(c, "rename", {{"oldName", old_name}});
  c.changed.notify();
}

}  // namespace stack::runtime::fake::detail
