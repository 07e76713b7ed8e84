// The local image store. A tag names exactly one image; tagging moves it. Removal follows
// daemon/images/image_delete.go: removing one of several tags only untags; removing the
// last tag or the id is refused while a container uses the image (a stopped one only
// without force; a running one always).
#include "runtime/fake/fake_daemon.hpp"

namespace stack::runtime::fake::detail {
namespace {

std::string shortId(const std::string& id) {
  return id.substr(id.rfind("sha256:", 0) == 0 ? 7 : 0, 12);
}

nlohmann::json configSeed(const ContainerConfig& config) {
  nlohmann::json seed;
  seed["cmd"] = config.cmd.value_or(std::vector<std::string>{});
  seed["entrypoint"] = config.entrypoint.value_or(std::vector<std::string>{});
  seed["env"] = config.env;
  seed["labels"] = config.labels;
  seed["ports"] = config.exposed_ports;
  seed["workdir"] = config.working_dir;
  seed["user"] = config.user;
  if (config.healthcheck) seed["health"] = config.healthcheck->test;
  return seed;
}

}  // namespace

ImageRecord& Daemon::storeImage(const std::string& id, ContainerConfig config,
                                std::vector<std::string> tags, int64_t size) {
  auto [it, inserted] = images.try_emplace(id);
  ImageRecord& image = it->second;
  if (inserted) {
    image.id = id;
    image.config = std::move(config);
    image.created = clock.now();
    image.size = size;
  }
  for (const auto& tag : tags)
    if (const auto ref = parseImageReference(tag)) tagImage(image, *ref);
  return image;
}

std::string Daemon::addImage(const FakeImage& spec, const std::string& id_seed) {
  nlohmann::json seed = configSeed(spec.config);
  seed["tags"] = spec.tags;
  seed["seed"] = id_seed;
  const std::string id = "sha256:" + sha256Hex(hashableJson(seed));
  ImageRecord& image = storeImage(id, spec.config, spec.tags, spec.size);
  image.os = spec.os;
  image.architecture = spec.architecture;
  return id;
}

void Daemon::tagImage(ImageRecord& image, const ImageReference& ref) {
  const std::string name = ref.familiar();
  for (auto& [id, other] : images) {
    auto& names = ref.digest.empty() ? other.tags : other.digests;
    if (&other != &image) std::erase(names, name);
  }
  auto& names = ref.digest.empty() ? image.tags : image.digests;
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
}

ImageRemoveResult Daemon::removeImage(const std::string& reference, bool force) {
  ImageRecord& image = requireImage(reference);
  const std::string id = image.id;
  auto user = [&](bool running_only) -> std::shared_ptr<ContainerRecord> {
    for (const auto& c : containersInOrder())
      if (c->image_id == id && (!running_only || c->running())) return c;
    return nullptr;
  };
  ImageRemoveResult result;
  const std::string hex = reference.rfind("sha256:", 0) == 0 ? reference.substr(7) : reference;
  const bool by_id = id.compare(7, hex.size(), hex) == 0;
  const size_t references = image.tags.size() + image.digests.size();
  if (!by_id) {
    const std::string name = parseImageReference(reference)->familiar();
    if (!force && references == 1)
      if (auto c = user(false))
        throw conflict("conflict: unable to remove repository reference \"" + reference +
                       "\" (must force) - container " + c->id.substr(0, 12) +
                       " is using its referenced image " + shortId(id));
    std::erase(image.tags, name);
    std::erase(image.digests, name);
    result.untagged.push_back(name);
    imageEvent(id, id, "untag");
    if (references > 1) return result;
    // The last reference is gone: delete quietly unless something still holds the image.
    if (user(!force)) return result;
  } else {
    if (auto c = user(true))
      throw conflict("conflict: unable to delete " + shortId(id) +
                     " (cannot be forced) - image is being used by running container " +
                     c->id.substr(0, 12));
    if (!force && references > 1)
      throw conflict("conflict: unable to delete " + shortId(id) +
                     " (must be forced) - image is referenced in multiple repositories");
    if (!force)
      if (auto c = user(false))
        throw conflict("conflict: unable to delete " + shortId(id) +
                       " (must be forced) - image is being used by stopped container " +
                       c->id.substr(0, 12));
    for (const auto& name : image.tags) result.untagged.push_back(name);
    for (const auto& name : image.digests) result.untagged.push_back(name);
    for (size_t i = 0; i < references; ++i) imageEvent(id, id, "untag");
  }
  imageEvent(id, id, "delete");
  images.erase(id);
  result.deleted.push_back(id);
  return result;
}

}  // namespace stack::runtime::fake::detail
