#pragma once

// Runs a set of builds: checks each build's hash against the label of the image it would
// replace and skips it when nothing changed, builds the rest in parallel up to the limit,
// and reports each service's step N/M live. A build whose FROM names an image another
// build of the same set produces runs after it, so the base id in its hash is the new one.
//
// Base images: each FROM image (dockerfile_stages.hpp) is resolved to its local id with
// one inspect per distinct reference; a missing base is pulled first (as the builder
// would), so the hash never records a base as "absent" that the build then fetches.
//
// The builder (runtime/builder_choice.hpp: DOCKER_BUILDKIT, then what the engine has) is
// chosen once per run, as the Docker engine chooses it for each build; the
// "Building" and "Built" progress lines name it, and the log says why. Build keys it cannot
// honour (BuildInputs::keyIssues) are a warning naming the service and key, or, when the
// result could not be right, an error (kind Build) before anything is sent.
//
// A failed build throws stack::Error (kind Build) with the service as context and a
// message naming the failing step, the engine's error and the step's last output lines.
// The digest cache is loaded on the first hash and saved when it learned something.

#include <boost/asio/awaitable.hpp>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "orchestrator/images/build_inputs.hpp"
#include "orchestrator/images/build_tracker.hpp"
#include "orchestrator/images/image_plan.hpp"
#include "orchestrator/images/image_transfer.hpp"
#include "orchestrator/progress/progress.hpp"
#include "runtime/builder_choice.hpp"
#include "runtime/context/digest_cache.hpp"
#include "runtime/engine.hpp"

namespace stack::orchestrator::images {

struct ImageBuilderOptions {
  size_t parallel_limit = 64;          // 0: unlimited
  std::filesystem::path digest_cache;  // empty: no persistent cache
};

class ImageBuilder {
 public:
  ImageBuilder(runtime::Engine& engine, progress::ProgressSink& progress, ImageTransfer& transfer,
               ImageBuilderOptions options);

  // Builds `builds`. `known` holds what the caller already inspected, by image reference;
  // images not in it are inspected here. Outcomes come in the order of `builds`.
  boost::asio::awaitable<std::vector<ImageOutcome>> run(
      const std::vector<BuildInputs>& builds, const std::map<std::string, LocalImage>& known);

  const runtime::context::HashStats& hashStats() const { return stats_; }

 private:
  boost::asio::awaitable<void> chooseBuilderOnce();
  void checkKeys(const BuildInputs& inputs);
  boost::asio::awaitable<void> resolveBases(const std::vector<const BuildInputs*>& wave);
  boost::asio::awaitable<ImageOutcome> buildOne(const BuildInputs& inputs,
                                                std::optional<LocalImage> local);
  boost::asio::awaitable<std::string> runBuild(const BuildInputs& inputs, const std::string& hash);
  boost::asio::awaitable<void> ensureTags(const BuildInputs& inputs, const std::string& id);
  runtime::context::DigestCache& cache();
  void saveCache();

  runtime::Engine& engine_;
  progress::ProgressSink& progress_;
  ImageTransfer& transfer_;
  ImageBuilderOptions options_;
  std::optional<runtime::context::DigestCache> cache_;
  runtime::context::HashStats stats_;
  std::map<std::string, std::string> base_ids_;  // base reference as written -> local id
  std::optional<runtime::BuilderChoice> builder_;
};

// The local state of `reference`: its id, creation time and build-hash label, or an empty
// id when the engine has no such image.
boost::asio::awaitable<LocalImage> inspectLocal(runtime::Engine& engine,
                                                const std::string& reference);

// The error for a failed build: the step, the engine's message, the step's output.
Error buildError(const std::string& service, const BuildTracker& tracker,
                 const std::string& engine_message);

}  // namespace stack::orchestrator::images
