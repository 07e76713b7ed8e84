// Events as dockerd 20.10 logs them (daemon/events.go): container events carry the
// container's labels, then `image` and `name`; network events `name` and `type`; volume
// events `driver`; image events `name` and the image's labels.
#include "runtime/fake/fake_daemon.hpp"

namespace stack::runtime::fake::detail {

void Daemon::emit(std::string type, std::string action, std::string actor, StringMap attributes) {
  EngineEvent event;
  event.type = std::move(type);
  event.action = std::move(action);
  event.actor_id = std::move(actor);
  event.attributes = std::move(attributes);
  event.scope = "local";
  int64_t nanos = clock.now().count();
  // Keep timeNano strictly increasing so that resuming from the last one is well defined
  // even for events of one instant.
  if (!events_.empty() && nanos <= events_.back().time_nano) nanos = events_.back().time_nano + 1;
  event.time_nano = nanos;
  event.time = nanos / 1000000000;
  events_.push_back(std::move(event));
  events_changed_.notify();
}

void Daemon::containerEvent(const ContainerRecord& c, std::string action, StringMap extra) {
  for (const auto& [key, value] : c.config.labels) extra[key] = value;
  if (!c.config.image.empty()) extra["image"] = c.config.image;
  extra["name"] = c.name;
  emit("container", std::move(action), c.id, std::move(extra));
}

void Daemon::networkEvent(const NetworkRecord& n, std::string action, StringMap extra) {
  extra["name"] = n.name;
  extra["type"] = n.driver;
  emit("network", std::move(action), n.id, std::move(extra));
}

void Daemon::volumeEvent(const VolumeRecord& v, std::string action, StringMap extra) {
  extra["driver"] = v.driver;
  emit("volume", std::move(action), v.name, std::move(extra));
}

void Daemon::imageEvent(const std::string& id, const std::string& name, std::string action) {
  StringMap attributes;
  if (auto it = images.find(id); it != images.end()) attributes = it->second.config.labels;
  attributes["name"] = name;
  emit("image", std::move(action), id, std::move(attributes));
}

}  // namespace stack::runtime::fake::detail
