// Building, pushing and pinning a stack's images (see stack_images.hpp).

#include "swarm/stack_images.hpp"

#include "core/error.hpp"
#include "orchestrator/compose/labels.hpp"
#include "orchestrator/images/bounded_tasks.hpp"
#include "orchestrator/images/image_reference.hpp"

namespace stack::swarm {
namespace {

// docker.io references are familiar in RepoDigests ("nginx@sha256:..."): compare them so.
std::string familiar(std::string repository) {
  for (const char* prefix : {"docker.io/library/", "docker.io/", "index.docker.io/library/"}) {
    const std::string p = prefix;
    if (repository.rfind(p, 0) == 0) return repository.substr(p.size());
  }
  return repository;
}

void requirePushable(const compose::Project& project) {
  for (const auto& [name, service] : project.services) {
    if (!service.build || !service.image.empty()) continue;
    throw Error(ErrorKind::Config,
                "service \"" + name + "\" builds an image but names none to push it as",
                "set image: to a reference in a registry every node can reach, e.g. "
                "registry.example.com/" +
                    name + ":1")
        .setLocation({.key_path = "services." + name + ".image"});
  }
}

struct Pin {
  std::string reference;
  bool local_only = false;
};

boost::asio::awaitable<Pin> pin(runtime::Engine& engine, const std::string& image) {
  try {
    runtime::ImageDetails details = co_await engine.inspectImage(image);
    std::string digest = pinnedByDigest(image, details.repo_digests);
    if (!digest.empty()) co_return Pin{digest, false};
    co_return Pin{details.id, true};
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::NotFound) throw;
  }
  co_return Pin{image, false};  // dry run: not built yet
}

}  // namespace

std::string pinnedByDigest(const std::string& image, const std::vector<std::string>& repo_digests) {
  const auto reference = images::ImageReference::parse(image);
  if (!reference.digest.empty()) return image;
  for (const std::string& entry : repo_digests) {
    const size_t at = entry.find('@');
    if (at == std::string::npos) continue;
    if (familiar(entry.substr(0, at)) == familiar(reference.repository)) {
      return reference.repository + ":" + reference.tag + entry.substr(at);
    }
  }
  return "";
}

boost::asio::awaitable<std::map<std::string, std::string>> prepareStackImages(
    runtime::Engine& engine, progress::ProgressSink& progress, const compose::Project& project,
    const StackImageOptions& options) {
  const bool push = options.push || options.swarm_nodes > 1;
  if (push) requirePushable(project);
  images::ImagePreparer preparer(engine, progress, options.preparer);
  co_await preparer.prepare(project, {}, options.images);
  if (push) co_await preparer.push(project, {}, images::PushOptions{});
  std::vector<std::string> services;
  for (const auto& [name, service] : project.services) services.push_back(name);
  std::vector<Pin> pins(services.size());
  // Named, not a temporary: g++ 12 mishandles temporaries inside co_await expressions.
  std::function<boost::asio::awaitable<void>(size_t)> inspect =
      [&](size_t i) -> boost::asio::awaitable<void> {
    const std::string image = compose::serviceImage(project, project.services.at(services[i]));
    pins[i] = co_await pin(engine, image);
  };
  co_await images::runBounded(services.size(), options.preparer.parallel_limit, std::move(inspect));
  std::map<std::string, std::string> out;
  for (size_t i = 0; i < services.size(); ++i) {
    const std::string image = compose::serviceImage(project, project.services.at(services[i]));
    if (pins[i].local_only && options.swarm_nodes > 1) {
      throw Error(ErrorKind::NotFound,
                  "image \"" + image + "\" of service \"" + services[i] +
                      "\" exists only on this machine; the other " +
                      std::to_string(options.swarm_nodes - 1) +
                      " node(s) of the swarm cannot "
                      "pull it",
                  "push it to a registry the nodes can reach (name the registry in image: and "
                  "deploy with --push)");
    }
    out[services[i]] = pins[i].reference;
  }
  co_return out;
}

}  // namespace stack::swarm
