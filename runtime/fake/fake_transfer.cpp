// Pulls and pushes against the FakeRegistry, with dockerd's progress lines and in-band
// errors ("pull access denied ...", "manifest for x not found ...", "denied: requested
// access to the resource is denied", "An image does not exist locally with the tag").
#include "runtime/fake/fake_transfers.hpp"

namespace stack::runtime::fake::detail {
namespace {

bool onDockerHub(const std::string& repository) {
  const auto slash = repository.find('/');
  if (slash == std::string::npos) return true;
  const std::string first = repository.substr(0, slash);
  return first.find('.') == std::string::npos && first.find(':') == std::string::npos &&
         first != "localhost";
}

std::string fullRepository(const std::string& repository) {
  return onDockerHub(repository) ? "docker.io/" + repositoryPath(repository) : repository;
}

std::string layerId(const std::string& digest, int layer) {
  return sha256Hex(digest + "/" + std::to_string(layer)).substr(0, 12);
}

}  // namespace

std::string pullRefusal(const Daemon& d, const ImageReference& ref, const RegistryAuth& auth) {
  const std::string denied = "pull access denied for " + ref.repository +
                             ", repository does not exist or may require 'docker login': "
                             "denied: requested access to the resource is denied";
  if (!d.registry.repositoryExists(ref.repository)) return denied;
  if (!d.registry.authorised(ref.repository, auth))
    return onDockerHub(ref.repository) ? denied : "unauthorized: authentication required";
  if (!d.registry.find(ref))
    return "manifest for " + ref.familiar() + " not found: manifest unknown: manifest unknown";
  return {};
}

void appendPullSteps(const std::shared_ptr<Daemon>& d, const ImageReference& ref,
                     const FakeRegistry::Entry& entry, std::vector<ProgressStep>& steps) {
  const nanoseconds duration = d->registry.layerDuration();
  const int64_t size = entry.image.layer_size;
  steps.push_back({{},
                   statusMessage("Pulling from " + repositoryPath(ref.repository),
                                 ref.digest.empty() ? ref.tag : ref.digest),
                   {}});
  for (int layer = 0; layer < entry.image.layers; ++layer)
    steps.push_back({{}, statusMessage("Pulling fs layer", layerId(entry.digest, layer)), {}});
  for (int layer = 0; layer < entry.image.layers; ++layer) {
    const std::string id = layerId(entry.digest, layer);
    steps.push_back({duration / 2, statusMessage("Downloading", id, size / 2, size), {}});
    steps.push_back({duration / 2, statusMessage("Downloading", id, size, size), {}});
    steps.push_back({{}, statusMessage("Verifying Checksum", id), {}});
    steps.push_back({{}, statusMessage("Download complete", id), {}});
    steps.push_back({{}, statusMessage("Extracting", id, size, size), {}});
    steps.push_back({{}, statusMessage("Pull complete", id), {}});
  }
  steps.push_back({{}, statusMessage("Digest: " + entry.digest), {}});
  const std::weak_ptr<Daemon> weak = d;
  const std::string image_id = "sha256:" + sha256Hex("image/" + entry.digest);
  const auto image = entry.image;
  const std::string digest_ref = ref.repository + "@" + entry.digest;
  auto store = [weak, ref, image_id, image, digest_ref] {
    auto live = weak.lock();
    if (!live) return;
    const std::vector<std::string> tags =
        ref.digest.empty() ? std::vector<std::string>{ref.familiar()} : std::vector<std::string>{};
    ImageRecord& record =
        live->storeImage(image_id, image.config, tags, image.layer_size * image.layers);
    if (auto parsed = parseImageReference(digest_ref)) live->tagImage(record, *parsed);
    StringMap attributes = record.config.labels;
    attributes["name"] = ref.familiar();
    live->emit("image", "pull", ref.familiar(), attributes);
  };
  steps.push_back(
      {{}, statusMessage("Status: Downloaded newer image for " + ref.familiar()), store});
}

std::vector<ProgressStep> planPull(const std::shared_ptr<Daemon>& d, const ImageReference& ref,
                                   const RegistryAuth& auth) {
  std::vector<ProgressStep> steps;
  if (const std::string refusal = pullRefusal(*d, ref, auth); !refusal.empty()) {
    steps.push_back({{}, errorMessage(refusal), {}});
    return steps;
  }
  const FakeRegistry::Entry& entry = *d->registry.find(ref);
  const ImageRecord* local = d->findImage(ref.repository + "@" + entry.digest);
  if (local && (!ref.digest.empty() || std::find(local->tags.begin(), local->tags.end(),
                                                 ref.familiar()) != local->tags.end())) {
    steps.push_back(
        {{}, statusMessage("Pulling from " + repositoryPath(ref.repository), ref.tag), {}});
    steps.push_back({{}, statusMessage("Digest: " + entry.digest), {}});
    const std::weak_ptr<Daemon> weak = d;
    auto event = [weak, ref] {
      if (auto live = weak.lock())
        live->emit("image", "pull", ref.familiar(), {{"name", ref.familiar()}});
    };
    steps.push_back(
        {{}, statusMessage("Status: Image is up to date for " + ref.familiar()), event});
    return steps;
  }
  appendPullSteps(d, ref, entry, steps);
  return steps;
}

std::vector<ProgressStep> planPush(const std::shared_ptr<Daemon>& d, const ImageReference& ref,
                                   const RegistryAuth& auth) {
  std::vector<ProgressStep> steps;
  steps.push_back(
      {{},
       statusMessage("The push refers to repository [" + fullRepository(ref.repository) + "]"),
       {}});
  const ImageRecord* local = d->findImage(ref.familiar());
  if (!local) {
    steps.push_back(
        {{}, errorMessage("An image does not exist locally with the tag: " + ref.repository), {}});
    return steps;
  }
  RegistryImage pushed{local->config, 2, std::max<int64_t>(local->size / 2, 1)};
  const std::string digest = FakeRegistry::digestOf(ref, pushed);
  for (int layer = 0; layer < pushed.layers; ++layer)
    steps.push_back({{}, statusMessage("Preparing", layerId(digest, layer)), {}});
  if (!d->registry.authorised(ref.repository, auth) || d->registry.pushDenied(ref.repository)) {
    const bool hub = onDockerHub(ref.repository) || d->registry.pushDenied(ref.repository);
    steps.push_back({{},
                     errorMessage(hub ? "denied: requested access to the resource is denied"
                                      : "unauthorized: authentication required"),
                     {}});
    return steps;
  }
  const nanoseconds duration = d->registry.layerDuration();
  for (int layer = 0; layer < pushed.layers; ++layer) {
    const std::string id = layerId(digest, layer);
    steps.push_back(
        {duration, statusMessage("Pushing", id, pushed.layer_size, pushed.layer_size), {}});
    steps.push_back({{}, statusMessage("Pushed", id), {}});
  }
  const std::weak_ptr<Daemon> weak = d;
  const std::string image_id = local->id;
  auto publish = [weak, ref, pushed, image_id, digest] {
    auto live = weak.lock();
    if (!live) return;
    live->registry.store(ref, pushed);
    if (auto it = live->images.find(image_id); it != live->images.end())
      if (auto parsed = parseImageReference(ref.repository + "@" + digest))
        live->tagImage(it->second, *parsed);
    live->emit("image", "push", ref.familiar(), {{"name", ref.familiar()}});
  };
  steps.push_back({{},
                   statusMessage(ref.tag + ": digest: " + digest +
                                 " size: " + std::to_string(528 + 200 * pushed.layers)),
                   publish});
  return steps;
}

}  // namespace stack::runtime::fake::detail
