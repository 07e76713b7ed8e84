#pragma once

// The per-service image decisions, as a pure function of the project, the options and
// what the engine has locally: for each service, pull its image, build it, both, or
// nothing. No engine calls and no file reads happen here, so every rule is testable as
// data. The rules (compose's, with one deliberate difference noted):
//
// A service with a `build` section, by its pull_policy (or `up --pull`, which overrides
// it for every service; "if_not_present" means "missing"):
//   - unset or never: build when the image is missing, or always with --build (then the
//     build-hash check may skip it). compose would try a pull first when the service
//     names an `image`; stack does not send a service's own build target to a registry.
//   - build: build (hash-checked), as with --build.
//   - missing, daily, weekly, every_<d>: pull when the image is missing (or older than
//     the period) and the service names an `image`; if the pull fails, build.
//   - always: pull (when it names an `image`); if the pull fails, build.
//   With --no-build nothing is built; a missing image that no pull can bring is an error
//   naming the service.
// A service without `build`:
//   - missing (the default), daily, weekly, every_<d>: pull when missing (or stale);
//   - always: pull; never: nothing, and a missing image is an error naming the service;
//   - nothing at all when another selected service builds the same image.
// Two services pulling, or building, the same image share one task (the first by name).

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "orchestrator/compose/model.hpp"
#include "orchestrator/images/image_options.hpp"

namespace stack::orchestrator::images {

// A local image, as far as the decisions care. `id` is empty when it is missing.
struct LocalImage {
  std::string id;
  std::string created;     // RFC 3339, from inspect
  std::string build_hash;  // the labels::kBuildHash label, if stack built it
};

struct ImageTask {
  std::string service;
  std::string image;  // the reference the service runs
  bool pull = false;
  bool build = false;  // hash-checked unless forced
  // The pull may fail: the service can build what the registry cannot give.
  bool build_if_pull_fails = false;
  std::string reason;  // why: "missing", "pull_policy: always", "--build", ...
};

// What happened to a service's image.
enum class ImageResult {
  Pulled,
  Pushed,
  Built,
  Unchanged,  // a build skipped because the build hash matched
  Skipped,    // nothing to do (`stack pull` of a service that builds, policy never, ...)
  Failed,     // an error that did not stop the command (--ignore-pull-failures, a pull
              // that a build replaced)
};

struct ImageOutcome {
  std::string service;
  std::string image;
  ImageResult result = ImageResult::Skipped;
  std::string image_id;  // the local id afterwards, when known
  std::string detail;    // the build hash, or why it was skipped or failed
};

// Tasks in service-name order; services with nothing to do have none. `local` is keyed by
// the image reference as the service writes it (serviceImage). Throws stack::Error (kind
// NotFound) naming the service when an image is missing and may be neither pulled nor
// built, and kind Config for a pull_policy of `build` without a build section.
std::vector<ImageTask> planImages(const compose::Project& project,
                                  const std::set<std::string>& services,
                                  const ImageOptions& options,
                                  const std::map<std::string, LocalImage>& local,
                                  std::chrono::system_clock::time_point now);

// The period of a refresh policy ("daily", "weekly", "every_12h"); nullopt for the others.
std::optional<std::chrono::seconds> refreshPeriod(const std::string& policy);

}  // namespace stack::orchestrator::images
