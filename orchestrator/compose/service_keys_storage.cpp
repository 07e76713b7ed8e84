// Service keys about storage: volumes, volumes_from, tmpfs, secrets and configs.
#include <algorithm>

#include "orchestrator/compose/node_reader.hpp"
#include "orchestrator/compose/service_builder.hpp"
#include "orchestrator/compose/short_syntax.hpp"

namespace stack::orchestrator::compose::service_keys {
namespace {

using namespace reader;
using yaml::Node;

void readVolumeOptions(ServiceVolume& volume, const Node& n, const std::string& p) {
  if (const Node* bind = n.find("bind")) {
    std::string path = p + ".bind";
    checkKeys(*bind, path, {"propagation", "create_host_path", "selinux", "recursive"});
    BindOptions options;
    if (const Node* v = bind->find("propagation"))
      options.propagation = toString(*v, path + ".propagation");
    if (const Node* v = bind->find("create_host_path")) {
      options.create_host_path = toBool(*v, path + ".create_host_path");
    } else {
      options.create_host_path = true;  // compose's default for an explicit bind section
    }
    if (const Node* v = bind->find("selinux")) {
      options.selinux = toString(*v, path + ".selinux");
      if (options.selinux != "z" && options.selinux != "Z") {
        yaml::fail(*v, path + ".selinux", "invalid selinux option " + quote(options.selinux),
                   "use z or Z");
      }
    }
    volume.bind = options;
  }
  if (const Node* options = n.find("volume")) {
    std::string path = p + ".volume";
    checkKeys(*options, path, {"nocopy", "subpath", "labels"});
    VolumeOptions out;
    if (const Node* v = options->find("nocopy")) out.nocopy = toBool(*v, path + ".nocopy");
    if (const Node* v = options->find("subpath")) out.subpath = toString(*v, path + ".subpath");
    volume.volume = out;
  }
  if (const Node* tmpfs = n.find("tmpfs")) {
    std::string path = p + ".tmpfs";
    checkKeys(*tmpfs, path, {"size", "mode"});
    TmpfsOptions out;
    if (const Node* v = tmpfs->find("size")) out.size = toBytes(*v, path + ".size");
    if (const Node* v = tmpfs->find("mode")) out.mode = toFileMode(*v, path + ".mode");
    volume.tmpfs = out;
  }
}

ServiceVolume buildVolume(const Node& n, const std::string& p) {
  checkKeys(
      n, p,
      {"type", "source", "target", "read_only", "consistency", "bind", "volume", "tmpfs", "image"});
  ServiceVolume volume;
  const Node* type = n.find("type");
  if (!type) yaml::fail(n, p, "volume has no \"type\"", "add type: volume, bind or tmpfs");
  volume.type = toString(*type, p + ".type");
  static const char* kTypes[] = {"volume", "bind", "tmpfs", "npipe", "cluster", "image"};
  if (std::find(std::begin(kTypes), std::end(kTypes), volume.type) == std::end(kTypes)) {
    yaml::fail(*type, p + ".type", "invalid volume type " + quote(volume.type),
               "use volume, bind, tmpfs, npipe, cluster or image");
  }
  if (const Node* v = n.find("source")) volume.source = toString(*v, p + ".source");
  const Node* target = n.find("target");
  if (!target) yaml::fail(n, p, "volume has no \"target\"", "add the path inside the container");
  volume.target = cleanPath(toString(*target, p + ".target"));
  if (volume.type == "bind" && volume.source.empty()) {
    yaml::fail(n, p, "bind mount has no \"source\"", "add the host path to mount");
  }
  if (const Node* v = n.find("read_only")) volume.read_only = toBool(*v, p + ".read_only");
  if (const Node* v = n.find("consistency")) volume.consistency = toString(*v, p + ".consistency");
  readVolumeOptions(volume, n, p);
  return volume;
}

void setVolumes(Service& s, const Node& n, const std::string& p) {
  requireSequence(n, p);
  for (size_t i = 0; i < n.items.size(); ++i) {
    s.volumes.push_back(buildVolume(n.items[i], yaml::indexPath(p, i)));
  }
}

std::vector<FileReference> buildReferences(const Node& n, const std::string& p, bool secret) {
  requireSequence(n, p);
  std::vector<FileReference> out;
  for (size_t i = 0; i < n.items.size(); ++i) {
    const Node& item = n.items[i];
    std::string path = yaml::indexPath(p, i);
    checkKeys(item, path, {"source", "target", "uid", "gid", "mode"});
    FileReference ref;
    const Node* source = item.find("source");
    if (!source) yaml::fail(item, path, "has no \"source\"");
    ref.source = toString(*source, path + ".source");
    if (const Node* v = item.find("target")) ref.target = toString(*v, path + ".target");
    if (ref.target.empty() && secret) ref.target = "/run/secrets/" + ref.source;
    if (const Node* v = item.find("uid")) ref.uid = toString(*v, path + ".uid", true);
    if (const Node* v = item.find("gid")) ref.gid = toString(*v, path + ".gid", true);
    if (const Node* v = item.find("mode")) ref.mode = toFileMode(*v, path + ".mode");
    out.push_back(std::move(ref));
  }
  return out;
}

constexpr KeyHandler kKeys[] = {
    {"volumes", setVolumes},
    {"volumes_from",
     [](Service& s, const Node& n, const std::string& p) { s.volumes_from = toStringList(n, p); }},
    {"tmpfs",
     [](Service& s, const Node& n, const std::string& p) { s.tmpfs = toStringList(n, p); }},
    {"secrets", [](Service& s, const Node& n,
                   const std::string& p) { s.secrets = buildReferences(n, p, true); }},
    {"configs", [](Service& s, const Node& n,
                   const std::string& p) { s.configs = buildReferences(n, p, false); }},
};

}  // namespace

std::span<const KeyHandler> storageKeys() {
  return kKeys;
}

}  // namespace stack::orchestrator::compose::service_keys
