#include "runtime/fake/fake_state.hpp"

#include "runtime/fake/fake_daemon.hpp"

namespace stack::runtime::fake {

std::shared_ptr<detail::Daemon> FakeState::daemon() const {
  auto d = daemon_.lock();
  if (!d) throw Error(ErrorKind::Internal, "the FakeEngine is gone");
  return d;
}

std::string FakeState::addImage(const FakeImage& image) {
  return daemon()->addImage(image, "load");
}

std::vector<ContainerDetails> FakeState::containers() const {
  auto d = daemon();
  std::vector<ContainerDetails> out;
  for (const auto& c : d->containersInOrder()) out.push_back(d->details(*c));
  return out;
}

std::optional<ContainerDetails> FakeState::container(const std::string& ref) const {
  auto d = daemon();
  if (auto c = d->findContainer(ref)) return d->details(*c);
  return std::nullopt;
}

std::vector<NetworkDetails> FakeState::networks() const {
  auto d = daemon();
  std::vector<NetworkDetails> out;
  for (const auto& [id, n] : d->networks) out.push_back(d->networkDetails(n, true));
  return out;
}

std::optional<NetworkDetails> FakeState::network(const std::string& ref) const {
  auto d = daemon();
  if (auto* n = d->findNetwork(ref)) return d->networkDetails(*n, true);
  return std::nullopt;
}

std::vector<VolumeDetails> FakeState::volumes() const {
  auto d = daemon();
  std::vector<VolumeDetails> out;
  for (const auto& [name, v] : d->volumes) out.push_back(d->volumeDetails(v));
  return out;
}

std::optional<VolumeDetails> FakeState::volume(const std::string& name) const {
  auto d = daemon();
  if (auto* v = d->findVolume(name)) return d->volumeDetails(*v);
  return std::nullopt;
}

std::vector<ImageDetails> FakeState::images() const {
  auto d = daemon();
  std::vector<ImageDetails> out;
  for (const auto& [id, image] : d->images) out.push_back(d->imageDetails(image));
  return out;
}

std::optional<ImageDetails> FakeState::image(const std::string& ref) const {
  auto d = daemon();
  if (auto* image = d->findImage(ref)) return d->imageDetails(*image);
  return std::nullopt;
}

std::vector<EngineEvent> FakeState::events() const {
  return daemon()->eventHistory();
}

std::vector<std::string> FakeState::eventSummary() const {
  std::vector<std::string> out;
  for (const auto& event : daemon()->eventHistory()) {
    const auto name = event.attributes.find("name");
    out.push_back(event.type + " " + event.action + " " +
                  (name == event.attributes.end() ? event.actor_id : name->second));
  }
  return out;
}

std::string FakeState::output(const std::string& container) const {
  auto c = daemon()->requireContainer(container);
  std::string out;
  for (const auto& entry : c->output) out += entry.data;
  return out;
}

std::vector<std::string> FakeState::volumeUsers(const std::string& volume) const {
  auto d = daemon();
  std::vector<std::string> out;
  for (const auto& id : d->volumeUsers(volume)) out.push_back(d->requireContainer(id)->name);
  return out;
}

size_t FakeState::execCount(const std::string& container) const {
  return daemon()->requireContainer(container)->execs_created;
}

std::optional<ContainerFile> FakeState::file(const std::string& container,
                                             const std::string& path) const {
  const auto c = daemon()->requireContainer(container);
  auto it = c->files.find(path);
  if (it == c->files.end()) return std::nullopt;
  return it->second;
}

void FakeState::exitProcess(const std::string& container, int exit_code) {
  auto d = daemon();
  auto c = d->requireContainer(container);
  if (!c->process) throw Error(ErrorKind::Conflict, "Container " + c->id + " is not running");
  d->processExited(*c, exit_code);
}

void FakeState::print(const std::string& container, OutputKind stream, const std::string& text) {
  auto d = daemon();
  auto c = d->requireContainer(container);
  if (!c->process) throw Error(ErrorKind::Conflict, "Container " + c->id + " is not running");
  d->print(*c, stream, text);
}

void FakeState::reserveHostPort(uint16_t port, const std::string& host_ip,
                                const std::string& protocol) {
  daemon()->reserved_ports.insert(
      detail::HostPortKey{host_ip.empty() ? "0.0.0.0" : host_ip, port, protocol});
}

}  // namespace stack::runtime::fake
