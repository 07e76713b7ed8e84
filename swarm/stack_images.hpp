#pragma once

// Images for a stack: built first (the orchestrator's image preparer, as `stack up`
// builds), pushed when other nodes need them, then pinned, so that a rebuilt image rolls
// the service out and every node runs the same bytes:
// - an image with a registry digest runs as `<image>@sha256:<digest>` (docker stack
//   deploy resolves the same digest through the registry);
// - on a single-node swarm, an image only this machine has runs by its image id
//   (`sha256:...`), which the node never tries to pull;
// - on a swarm of several nodes, an image only this machine has is an error that says to
//   name a registry in `image:` and deploy with --push (or to push it first).

#include <boost/asio/awaitable.hpp>
#include <map>
#include <string>

#include "orchestrator/compose/model.hpp"
#include "orchestrator/images/image_options.hpp"
#include "orchestrator/images/image_preparer.hpp"
#include "orchestrator/progress/progress.hpp"
#include "runtime/engine.hpp"
#include "swarm/swarm_names.hpp"

namespace stack::swarm {

struct StackImageOptions {
  images::ImageOptions images;            // build mode, pull policy override
  images::ImagePreparerOptions preparer;  // parallel limit, dry run, digest cache
  bool push = false;  // --push: push what the stack builds to the registry in `image:`
  int swarm_nodes = 1;
};

// Service key -> the reference its tasks run. In a dry run nothing is built, pulled or
// pushed; images that exist are pinned, the others run as written.
// Throws stack::Error: Config for a service whose image must be pushed but names no
// registry; NotFound for an image other nodes cannot reach; Build and Pull as the image
// preparer does.
boost::asio::awaitable<std::map<std::string, std::string>> prepareStackImages(
    runtime::Engine& engine, progress::ProgressSink& progress, const compose::Project& project,
    const StackImageOptions& options);

// `image@digest` for the image's own repository among `repo_digests`, else "".
std::string pinnedByDigest(const std::string& image, const std::vector<std::string>& repo_digests);

}  // namespace stack::swarm
