// FakeEngine: images, networks and volumes.
#include "runtime/fake/fake_call.hpp"
#include "runtime/fake/fake_engine.hpp"
#include "runtime/fake/fake_transfers.hpp"

namespace stack::runtime::fake {

using detail::enter;

namespace {

ImageReference requireReference(const std::string& text) {
  auto ref = parseImageReference(text);
  if (!ref) throw Error(ErrorKind::Engine, "invalid reference format: " + text);
  return *ref;
}

bool matchReference(const detail::ImageRecord& image, const std::vector<std::string>& patterns) {
  if (patterns.empty()) return true;
  for (const auto& pattern : patterns)
    for (const auto& tag : image.tags) {
      const std::string repository = tag.substr(0, tag.rfind(':'));
      if (globMatch(pattern, tag) || globMatch(pattern, repository)) return true;
    }
  return false;
}

}  // namespace

Awaitable<std::unique_ptr<ProgressStream>> FakeEngine::buildImage(BuildRequest request) {
  auto d = daemon_;
  // g++ 12 destroys a conditional's temporary twice inside a co_await: name it first.
  const std::string subject = request.tags.empty() ? "" : request.tags.front();
  auto call = co_await enter(d, Method::BuildImage, subject);
  for (const auto& tag : request.tags) requireReference(tag);
  auto steps = detail::planBuild(d, request);
  call.done();
  co_return detail::makeProgressStream(d, std::move(steps), ErrorKind::Build);
}

Awaitable<std::unique_ptr<ProgressStream>> FakeEngine::pullImage(const std::string& image,
                                                                 const std::string& tag,
                                                                 const RegistryAuth& auth) {
  auto d = daemon_;
  const std::string subject = image + (tag.empty() ? "" : ":" + tag);
  auto call = co_await enter(d, Method::PullImage, subject);
  if (tag.empty())
    throw Error(ErrorKind::Internal,
                "pull of \"" + image + "\" without a tag would pull every tag");
  const bool digest = tag.rfind("sha256:", 0) == 0;
  const ImageReference ref = requireReference(image + (digest ? "@" : ":") + tag);
  auto steps = detail::planPull(d, ref, auth);
  call.done();
  co_return detail::makeProgressStream(d, std::move(steps), ErrorKind::Engine);
}

Awaitable<std::unique_ptr<ProgressStream>> FakeEngine::pushImage(const std::string& image,
                                                                 const std::string& tag,
                                                                 const RegistryAuth& auth) {
  auto d = daemon_;
  const std::string subject = image + (tag.empty() ? "" : ":" + tag);
  auto call = co_await enter(d, Method::PushImage, subject);
  std::vector<detail::ProgressStep> steps;
  if (!tag.empty()) {
    steps = detail::planPush(d, requireReference(image + ":" + tag), auth);
  } else {  // an empty tag pushes every local tag of the repository
    const ImageReference repo = requireReference(image);
    for (const auto& [id, record] : d->images)
      for (const auto& name : record.tags)
        if (name.rfind(repo.repository + ":", 0) == 0) {
          auto more = detail::planPush(d, requireReference(name), auth);
          steps.insert(steps.end(), more.begin(), more.end());
        }
    if (steps.empty()) steps = detail::planPush(d, repo, auth);
  }
  call.done();
  co_return detail::makeProgressStream(d, std::move(steps), ErrorKind::Engine);
}

Awaitable<ImageDetails> FakeEngine::inspectImage(const std::string& reference) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::InspectImage, reference);
  ImageDetails details = d->imageDetails(d->requireImage(reference));
  call.done();
  co_return details;
}

Awaitable<std::vector<ImageSummary>> FakeEngine::listImages(const ListFilter& filter) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::ListImages, "");
  std::vector<const detail::ImageRecord*> picked;
  for (const auto& [id, image] : d->images) {
    if (!matchLabels(image.config.labels, filter.labels) || !matchReference(image, filter.names))
      continue;
    if (!matchIdPrefix(id.substr(7), filter.ids) && !matchIdPrefix(id, filter.ids)) continue;
    picked.push_back(&image);
  }
  std::sort(picked.begin(), picked.end(),
            [](const auto* a, const auto* b) { return a->created > b->created; });
  std::vector<ImageSummary> out;
  for (const auto* image : picked) out.push_back(d->imageSummary(*image));
  call.done();
  co_return out;
}

Awaitable<void> FakeEngine::tagImage(const std::string& source, const std::string& repository,
                                     const std::string& tag) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::TagImage, source);
  detail::ImageRecord& image = d->requireImage(source);
  const ImageReference ref = requireReference(repository + ":" + (tag.empty() ? "latest" : tag));
  d->tagImage(image, ref);
  d->imageEvent(image.id, ref.familiar(), "tag");
  call.done();
}

Awaitable<ImageRemoveResult> FakeEngine::removeImage(const std::string& reference, bool force) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::RemoveImage, reference);
  ImageRemoveResult result = d->removeImage(reference, force);
  call.done();
  co_return result;
}

Awaitable<std::string> FakeEngine::createNetwork(const NetworkCreateRequest& request) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::CreateNetwork, request.name);
  std::string id = d->createNetwork(request);
  call.done();
  co_return id;
}

Awaitable<void> FakeEngine::connectNetwork(const std::string& network, const std::string& container,
                                           const EndpointSettings& endpoint) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::ConnectNetwork, network, container);
  auto c = d->requireContainer(container);
  d->connectNetwork(d->requireNetwork(network), *c, endpoint);
  call.done();
}

Awaitable<void> FakeEngine::disconnectNetwork(const std::string& network,
                                              const std::string& container, bool force) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::DisconnectNetwork, network, container);
  auto c = d->requireContainer(container);
  d->disconnectNetwork(network, *c, force);
  call.done();
}

Awaitable<NetworkDetails> FakeEngine::inspectNetwork(const std::string& network) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::InspectNetwork, network);
  NetworkDetails details = d->networkDetails(d->requireNetwork(network), true);
  call.done();
  co_return details;
}

Awaitable<std::vector<NetworkDetails>> FakeEngine::listNetworks(const ListFilter& filter) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::ListNetworks, "");
  std::vector<NetworkDetails> out;
  for (const auto& [id, n] : d->networks)
    if (matchLabels(n.labels, filter.labels) && matchNameFragment(n.name, filter.names) &&
        matchIdPrefix(n.id, filter.ids))
      out.push_back(d->networkDetails(n, false));
  call.done();
  co_return out;
}

Awaitable<void> FakeEngine::removeNetwork(const std::string& network) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::RemoveNetwork, network);
  d->removeNetwork(d->requireNetwork(network));
  call.done();
}

Awaitable<VolumeDetails> FakeEngine::createVolume(const VolumeCreateRequest& request) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::CreateVolume, request.name);
  VolumeDetails details = d->volumeDetails(d->createVolume(request));
  call.done();
  co_return details;
}

Awaitable<VolumeDetails> FakeEngine::inspectVolume(const std::string& name) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::InspectVolume, name);
  const detail::VolumeRecord* v = d->findVolume(name);
  if (!v) throw Error(ErrorKind::NotFound, "get " + name + ": no such volume");
  VolumeDetails details = d->volumeDetails(*v);
  call.done();
  co_return details;
}

Awaitable<std::vector<VolumeDetails>> FakeEngine::listVolumes(const ListFilter& filter) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::ListVolumes, "");
  std::vector<VolumeDetails> out;
  for (const auto& [name, v] : d->volumes)
    if (matchLabels(v.labels, filter.labels) && matchNameFragment(v.name, filter.names))
      out.push_back(d->volumeDetails(v));
  call.done();
  co_return out;
}

Awaitable<void> FakeEngine::removeVolume(const std::string& name, bool force) {
  auto d = daemon_;
  auto call = co_await enter(d, Method::RemoveVolume, name);
  d->removeVolume(name, force);
  call.done();
}

}  // namespace stack::runtime::fake
