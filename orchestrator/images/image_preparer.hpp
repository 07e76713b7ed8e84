#pragma once

// The images component's public face: what `up`, `build`, `pull` and `push` do to a
// project's images. The decisions are image_plan.hpp's; builds are image_builder.hpp's;
// pulls and pushes image_transfer.hpp's. This class sequences them:
//
//   prepare()  (up): one inspect per service image, the plan, then the pulls in parallel
//              (up to the limit), then the builds. Everything is done before it returns,
//              so `up` creates no container until every image it needs exists, and a
//              failed build or pull creates none. After a failure no new work starts,
//              the work in flight finishes, and the first error is thrown.
//   build()    (stack build): builds the services with a build section, hash-checked.
//   pull()     (stack pull): compose's rules: services without `image` are skipped, and
//              so is pull_policy never/build, and missing/if_not_present when the image
//              is present; a failed pull of a service that can build is a warning.
//   push()     (stack push): the image and build.tags of every service that builds and
//              names an `image`.
//
// With dry_run, the decisions are reported and nothing is pulled, built or pushed.

#include <boost/asio/awaitable.hpp>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "orchestrator/compose/model.hpp"
#include "orchestrator/images/image_options.hpp"
#include "orchestrator/images/image_plan.hpp"
#include "orchestrator/images/image_transfer.hpp"
#include "orchestrator/progress/progress.hpp"
#include "runtime/context/context_hash.hpp"
#include "runtime/engine.hpp"

namespace stack::orchestrator::images {

struct ImagePreparerOptions {
  size_t parallel_limit = 64;  // --parallel / COMPOSE_PARALLEL_LIMIT; 0: unlimited
  bool dry_run = false;
  // Where file digests persist between runs; empty: defaultDigestCachePath().
  std::filesystem::path digest_cache;
};

struct PullOptions {
  bool ignore_failures = false;   // --ignore-pull-failures
  bool ignore_buildable = false;  // --ignore-buildable
  bool quiet = false;             // -q
};

struct PushOptions {
  bool ignore_failures = false;  // --ignore-push-failures
  bool quiet = false;            // -q
};

struct ImageReport {
  std::vector<ImageOutcome> outcomes;  // service order; one per service the call acted on
  runtime::context::HashStats hash_stats;

  const ImageOutcome* find(const std::string& service) const;
};

class ImagePreparer {
 public:
  ImagePreparer(runtime::Engine& engine, progress::ProgressSink& progress,
                ImagePreparerOptions options = {});

  // `services` are the services `up` will converge (dependencies already added); empty
  // means every service. Throws stack::Error: Usage for an unknown service; NotFound when
  // an image is missing and the options forbid making it; Build; Pull.
  boost::asio::awaitable<ImageReport> prepare(const compose::Project& project,
                                              const std::set<std::string>& services,
                                              const ImageOptions& options);
  // Builds the given services (all when empty) that have a build section.
  boost::asio::awaitable<ImageReport> build(const compose::Project& project,
                                            const std::set<std::string>& services,
                                            const ImageOptions& options);
  boost::asio::awaitable<ImageReport> pull(const compose::Project& project,
                                           const std::set<std::string>& services,
                                           const PullOptions& options);
  boost::asio::awaitable<ImageReport> push(const compose::Project& project,
                                           const std::set<std::string>& services,
                                           const PushOptions& options);

 private:
  std::set<std::string> selected(const compose::Project& project,
                                 const std::set<std::string>& services) const;
  boost::asio::awaitable<std::map<std::string, LocalImage>> inspectAll(
      const std::set<std::string>& references);
  boost::asio::awaitable<void> runPulls(std::vector<ImageTask>& tasks, bool quiet,
                                        ImageReport& report);
  boost::asio::awaitable<void> runBuilds(const compose::Project& project,
                                         const std::vector<ImageTask>& tasks,
                                         const ImageOptions& options,
                                         std::map<std::string, LocalImage> known,
                                         ImageReport& report);
  void reportDryRun(const std::vector<ImageTask>& tasks);

  runtime::Engine& engine_;
  progress::ProgressSink& progress_;
  ImagePreparerOptions options_;
  ImageTransfer transfer_;
};

// $XDG_CACHE_HOME/stack/digests, else ~/.cache/stack/digests; empty without either.
std::filesystem::path defaultDigestCachePath();

}  // namespace stack::orchestrator::images
