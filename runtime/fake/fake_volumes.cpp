// Volumes (volume/service, daemon/volumes.go): create is idempotent; volumes named in a
// container's Binds or Mounts are created with the container, anonymous ones get a
// 64-hex name; a volume is in use while any container, running or not, mounts it; `rm -v`
// of a container removes its anonymous volumes only. Volumes emit mount/unmount events
// when their containers start and stop.
#include "runtime/fake/fake_daemon.hpp"

namespace stack::runtime::fake::detail {
namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t pos = text.find(separator); pos != std::string::npos;
       pos = text.find(separator, start)) {
    out.push_back(text.substr(start, pos - start));
    start = pos + 1;
  }
  out.push_back(text.substr(start));
  return out;
}

Error invalidSpec(const std::string& spec) {
  return engineError("invalid volume specification: '" + spec + "'");
}

MountRecord parseBind(const std::string& spec) {
  const auto parts = split(spec, ':');
  if (parts.size() < 2 || parts.size() > 3 || parts[0].empty() || parts[1].empty() ||
      parts[1].front() != '/')
    throw invalidSpec(spec);
  MountRecord m;
  m.destination = parts[1];
  if (parts.size() == 3)
    for (const auto& option : split(parts[2], ','))
      if (option == "ro") m.read_write = false;
  if (parts[0].front() == '/') {
    m.type = "bind";
    m.source = parts[0];
  } else {
    if (!validVolumeName(parts[0])) throw invalidSpec(spec);
    m.type = "volume";
    m.name = parts[0];
  }
  return m;
}

MountRecord parseMount(const MountSpec& spec) {
  if (spec.target.empty() || spec.target.front() != '/')
    throw engineError("invalid mount config for type \"" + spec.type + "\": invalid mount path: '" +
                      spec.target + "' mount path must be absolute");
  MountRecord m;
  m.type = spec.type;
  m.destination = spec.target;
  m.read_write = !spec.read_only;
  if (spec.type == "bind") {
    if (spec.source.empty())
      throw engineError("invalid mount config for type \"bind\": field Source must not be empty");
    m.source = spec.source;
  } else if (spec.type == "volume") {
    if (!spec.source.empty() && !validVolumeName(spec.source))
      throw engineError("invalid mount config for type \"volume\": invalid volume name: " +
                        spec.source);
    m.name = spec.source;
    m.anonymous = spec.source.empty();
  } else if (spec.type == "tmpfs") {
    if (!spec.source.empty())
      throw engineError(
          "invalid mount config for type \"tmpfs\": field Source must not be specified");
  } else {
    throw engineError("mount type unknown: " + spec.type);
  }
  return m;
}

}  // namespace

std::vector<MountRecord> Daemon::prepareMounts(const HostConfig& host) {
  std::vector<MountRecord> mounts;
  for (const auto& bind : host.binds) mounts.push_back(parseBind(bind));
  for (const auto& spec : host.mounts) mounts.push_back(parseMount(spec));
  for (size_t i = 0; i < mounts.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (mounts[i].destination == mounts[j].destination)
        throw engineError("Duplicate mount point: " + mounts[i].destination);
  // Everything parsed: now create the volumes, as dockerd does while registering mounts.
  for (size_t i = 0; i < mounts.size(); ++i) {
    MountRecord& m = mounts[i];
    if (m.type != "volume") continue;
    VolumeCreateRequest request;
    request.name = m.name;
    if (i >= host.binds.size()) {
      const MountSpec& spec = host.mounts[i - host.binds.size()];
      request.labels = spec.volume_labels;
      request.driver = spec.volume_driver;
      request.driver_opts = spec.volume_driver_options;
    }
    VolumeRecord& volume = createVolume(request, m.anonymous);
    m.name = volume.name;
    m.source = "/var/lib/docker/volumes/" + volume.name + "/_data";
  }
  return mounts;
}

VolumeRecord& Daemon::createVolume(const VolumeCreateRequest& request, bool anonymous) {
  std::string name = request.name;
  if (name.empty()) {
    name = newId("volume", "anonymous");
    anonymous = true;
  } else if (!validVolumeName(name)) {
    throw engineError("create " + name + ": \"" + name +
                      "\" includes invalid characters for a local volume name, only "
                      "\"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a "
                      "host directory, use absolute path");
  }
  const std::string driver = request.driver.empty() ? "local" : request.driver;
  if (VolumeRecord* existing = findVolume(name)) {
    if (existing->driver != driver)
      throw conflict("create " + name + ": volume name " + name + " already in use with driver \"" +
                     existing->driver + "\"");
    return *existing;
  }
  VolumeRecord v;
  v.name = name;
  v.driver = driver;
  v.labels = request.labels;
  v.options = request.driver_opts;
  v.created = clock.now();
  v.anonymous = anonymous;
  VolumeRecord& stored = volumes.emplace(name, std::move(v)).first->second;
  volumeEvent(stored, "create");
  return stored;
}

std::vector<std::string> Daemon::volumeUsers(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& c : containersInOrder())
    for (const auto& m : c->mounts)
      if (m.type == "volume" && m.name == name) {
        out.push_back(c->id);
        break;
      }
  return out;
}

void Daemon::removeVolume(const std::string& name, bool force) {
  VolumeRecord* v = findVolume(name);
  if (!v) {
    if (force) return;  // dockerd ignores a missing volume with force
    throw Error(ErrorKind::NotFound, "get " + name + ": no such volume");
  }
  const auto users = volumeUsers(name);
  if (!users.empty()) {
    std::string list;
    for (const auto& id : users) list += (list.empty() ? "" : ", ") + id;
    throw conflict("remove " + name + ": volume is in use - [" + list + "]");
  }
  const VolumeRecord gone = *v;
  volumes.erase(name);
  volumeEvent(gone, "destroy");
}

void Daemon::mountVolumes(ContainerRecord& c) {
  for (const auto& m : c.mounts) {
    if (m.type != "volume") continue;
    if (VolumeRecord* v = findVolume(m.name))
      volumeEvent(*v, "mount",
                  {{"container", c.id},
                   {"destination", m.destination},
                   {"propagation", ""},
                   {"read/write", m.read_write ? "true" : "false"}});
  }
}

void Daemon::unmountVolumes(ContainerRecord& c) {
  for (const auto& m : c.mounts) {
    if (m.type != "volume") continue;
    if (VolumeRecord* v = findVolume(m.name)) volumeEvent(*v, "unmount", {{"container", c.id}});
  }
}

}  // namespace stack::runtime::fake::detail
