#include "runtime/fake/fake_daemon.hpp"

#include <algorithm>

#include "runtime/fake/fake_engine.hpp"

namespace stack::runtime::fake::detail {

Error notFound(const std::string& what, std::string_view ref) {
  return Error(ErrorKind::NotFound, "No such " + what + ": " + std::string(ref));
}

Error conflict(std::string message) {
  return Error(ErrorKind::Conflict, std::move(message));
}

Error engineError(std::string message) {
  return Error(ErrorKind::Engine, std::move(message));
}

std::string ContainerRecord::stateString() const {
  switch (state) {
    case RunState::Created:
      return "created";
    case RunState::Running:
      return "running";
    case RunState::Paused:
      return "paused";
    case RunState::Restarting:
      return "restarting";
    case RunState::Exited:
      return "exited";
    case RunState::Dead:
      return "dead";
  }
  return "unknown";
}

Daemon::Daemon(boost::asio::any_io_executor ex, const FakeEngineOptions& options)
    : executor(ex),
      clock(ex, options.clock),
      health_exec_events(options.health_exec_events),
      event_buffer(options.event_buffer),
      call_latency(options.call_latency),
      events_changed_(ex) {
  // dockerd's predefined networks. They are there before anything else and emit no event.
  const std::pair<const char*, const char*> predefined[] = {
      {"bridge", "bridge"}, {"host", "host"}, {"none", "null"}};
  for (const auto& [name, driver] : predefined) {
    NetworkRecord n;
    n.id = newId("network", name);
    n.name = name;
    n.driver = driver;
    n.predefined = true;
    n.created = clock.now();
    if (n.driver == "bridge") {
      n.subnet = *parseIpv4("172.17.0.0");
      n.prefix = 16;
      n.used.insert(n.subnet + 1);
      n.ipam_config.push_back({"172.17.0.0/16", "", "172.17.0.1", {}});
      n.options["com.docker.network.bridge.default_bridge"] = "true";
      n.options["com.docker.network.bridge.name"] = "docker0";
    }
    networks.emplace(n.id, std::move(n));
  }
}

Daemon::~Daemon() = default;

std::string Daemon::newId(std::string_view kind, std::string_view seed) {
  return sha256Hex(std::string(kind) + "/" + std::to_string(++sequence_) + "/" + std::string(seed));
}

std::shared_ptr<ContainerRecord> Daemon::findContainer(std::string_view ref) const {
  if (!ref.empty() && ref.front() == '/') ref.remove_prefix(1);
  if (ref.empty()) return nullptr;
  if (auto it = containers.find(std::string(ref)); it != containers.end()) return it->second;
  for (const auto& [id, c] : containers)
    if (c->name == ref) return c;
  std::shared_ptr<ContainerRecord> match;
  for (const auto& [id, c] : containers) {
    if (id.compare(0, ref.size(), ref) != 0) continue;
    if (match) return nullptr;  // ambiguous prefix
    match = c;
  }
  return match;
}

std::shared_ptr<ContainerRecord> Daemon::requireContainer(std::string_view ref) const {
  auto c = findContainer(ref);
  if (!c) throw notFound("container", ref);
  return c;
}

NetworkRecord* Daemon::findNetwork(std::string_view ref) {
  if (ref.empty()) return nullptr;
  if (auto it = networks.find(std::string(ref)); it != networks.end()) return &it->second;
  for (auto& [id, n] : networks)
    if (n.name == ref) return &n;
  NetworkRecord* match = nullptr;
  for (auto& [id, n] : networks) {
    if (id.compare(0, ref.size(), ref) != 0) continue;
    if (match) return nullptr;
    match = &n;
  }
  return match;
}

NetworkRecord& Daemon::requireNetwork(std::string_view ref) {
  if (auto* n = findNetwork(ref)) return *n;
  throw Error(ErrorKind::NotFound, "network " + std::string(ref) + " not found");
}

ImageRecord* Daemon::findImage(std::string_view ref) {
  if (ref.empty()) return nullptr;
  const std::string text(ref);
  if (const auto parsed = parseImageReference(text)) {
    const std::string familiar = parsed->familiar();
    for (auto& [id, image] : images) {
      const auto& names = parsed->digest.empty() ? image.tags : image.digests;
      if (std::find(names.begin(), names.end(), familiar) != names.end()) return &image;
    }
  }
  std::string hex = text.rfind("sha256:", 0) == 0 ? text.substr(7) : text;
  if (hex.empty() || hex.find_first_not_of("0123456789abcdef") != std::string::npos) return nullptr;
  ImageRecord* match = nullptr;
  for (auto& [id, image] : images) {
    if (id.compare(7, hex.size(), hex) != 0) continue;
    if (match) return nullptr;
    match = &image;
  }
  return match;
}

ImageRecord& Daemon::requireImage(std::string_view ref) {
  if (auto* image = findImage(ref)) return *image;
  const auto parsed = parseImageReference(ref);
  throw notFound("image", parsed ? parsed->familiar() : std::string(ref));
}

VolumeRecord* Daemon::findVolume(std::string_view name) {
  const auto it = volumes.find(std::string(name));
  return it == volumes.end() ? nullptr : &it->second;
}

std::shared_ptr<ExecRecord> Daemon::findExec(std::string_view id) const {
  if (id.empty()) return nullptr;
  if (auto it = execs.find(std::string(id)); it != execs.end()) return it->second;
  std::shared_ptr<ExecRecord> match;
  for (const auto& [key, e] : execs) {
    if (key.compare(0, id.size(), id) != 0) continue;
    if (match) return nullptr;
    match = e;
  }
  return match;
}

std::vector<std::shared_ptr<ContainerRecord>> Daemon::containersInOrder() const {
  std::vector<std::shared_ptr<ContainerRecord>> out;
  for (const auto& [id, c] : containers) out.push_back(c);
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a->sequence > b->sequence; });
  return out;
}

namespace {

enum class SubjectKind { None, Container, Exec, Image, Network, Volume };

SubjectKind subjectKind(Method method) {
  switch (method) {
    case Method::Ping:
    case Method::Version:
    case Method::ListContainers:
    case Method::ListImages:
    case Method::ListNetworks:
    case Method::ListVolumes:
    case Method::Events:
      return SubjectKind::None;
    case Method::StartExec:
    case Method::InspectExec:
    case Method::ResizeExec:
      return SubjectKind::Exec;
    case Method::BuildImage:
    case Method::PullImage:
    case Method::PushImage:
    case Method::InspectImage:
    case Method::TagImage:
    case Method::RemoveImage:
      return SubjectKind::Image;
    case Method::CreateNetwork:
    case Method::ConnectNetwork:
    case Method::DisconnectNetwork:
    case Method::InspectNetwork:
    case Method::RemoveNetwork:
      return SubjectKind::Network;
    case Method::CreateVolume:
    case Method::InspectVolume:
    case Method::RemoveVolume:
      return SubjectKind::Volume;
    default:
      return SubjectKind::Container;
  }
}

}  // namespace

std::vector<std::string> Daemon::subjectsOf(Method method, const std::string& subject) {
  std::vector<std::string> out{subject};
  switch (subjectKind(method)) {
    case SubjectKind::Container:
      if (auto c = findContainer(subject)) out.insert(out.end(), {c->id, c->name});
      break;
    case SubjectKind::Exec:
      if (auto e = findExec(subject)) {
        out.push_back(e->id);
        if (auto c = findContainer(e->container_id)) out.insert(out.end(), {c->id, c->name});
      }
      break;
    case SubjectKind::Image:
      if (auto* image = findImage(subject)) {
        out.push_back(image->id);
        out.insert(out.end(), image->tags.begin(), image->tags.end());
      }
      if (auto ref = parseImageReference(subject)) out.push_back(ref->familiar());
      break;
    case SubjectKind::Network:
      if (auto* n = findNetwork(subject)) out.insert(out.end(), {n->id, n->name});
      break;
    default:
      break;
  }
  return out;
}

std::string Daemon::nameOf(Method method, const std::string& subject) {
  switch (subjectKind(method)) {
    case SubjectKind::Container:
      if (auto c = findContainer(subject)) return c->name;
      break;
    case SubjectKind::Exec:
      if (auto e = findExec(subject))
        if (auto c = findContainer(e->container_id)) return c->name;
      break;
    case SubjectKind::Network:
      if (auto* n = findNetwork(subject)) return n->name;
      break;
    default:
      break;
  }
  return subject;
}

void Daemon::breakConnections() {
  ++connection_epoch_;
  events_changed_.notify();
  for (auto& [id, c] : containers) c->changed.notify();
  for (auto& [id, e] : execs) e->changed.notify();
}

void Daemon::shutdown() {
  shut_down_ = true;
  breakConnections();
}

}  // namespace stack::runtime::fake::detail
