#pragma once

// Everything that decides what a service's build produces, resolved once: the context and
// Dockerfile, args, target, labels, the base images, and the tags. From it come the
// engine's BuildRequest and the build hash stored on the image (labels::kBuildHash).
//
// The build hash covers, in this order (each field length-framed, content_hasher.hpp):
//   - the context as context_hash.hpp describes it: every file the tar would hold under
//     the .dockerignore rules (path, type, mode, content), the .dockerignore itself, the
//     `dockerfile` parameter and the Dockerfile's bytes (inline or outside the context too);
//   - a format tag, then the build args with their resolved values, the target, the
//     build labels, the service's platform;
//   - each base image reference with its local image id (dockerfile_stages.hpp says which
//     FROM lines count).
// Not covered: cache_from, network, extra_hosts, shm_size and ulimits (they change how the
// build runs, not what it makes), the builder (BuildKit or classic: a Dockerfile both can
// build gives the same image, one only BuildKit can build fails under the classic builder
// and leaves no image to skip to), and anything a RUN step fetches from the network.

#include <map>
#include <string>
#include <vector>

#include "orchestrator/compose/model.hpp"
#include "orchestrator/images/image_options.hpp"
#include "runtime/context/build_context.hpp"
#include "runtime/context/context_hash.hpp"
#include "runtime/engine_types.hpp"

namespace stack::orchestrator::images {

// A build key the chosen builder cannot honour (build_inputs.cpp explains each case).
struct BuildKeyIssue {
  std::string key;      // "secrets", "shm_size"...
  std::string message;  // what happens and why, without the service
  std::string hint;     // what to do
  bool error = false;   // the build cannot be right: refuse it; else warn and build
};

class BuildInputs {
 public:
  // Opens the context and reads the Dockerfile. Throws stack::Error (kind Build) naming
  // the service for a remote context, a missing context directory or Dockerfile; kind
  // Config for a malformed .dockerignore.
  static BuildInputs resolve(const compose::Project& project, const compose::Service& service,
                             const ImageOptions& options);

  const std::string& service() const { return service_; }
  // The reference the service runs, and the build's first tag.
  const std::string& image() const { return tags_.front(); }
  // The image plus build.tags.
  const std::vector<std::string>& tags() const { return tags_; }
  // External base images in FROM order (not scratch, not earlier stages).
  const std::vector<std::string>& bases() const { return bases_; }
  const std::map<std::string, std::string>& args() const { return args_; }
  // True when the build must run whatever the hash says (--no-cache, --pull, or the
  // file's no_cache / pull).
  bool forced() const { return forced_; }
  // Keys of the build section the builder (BuildKit when `buildkit`, else classic) cannot
  // honour through the Engine API without a client session, in the file's key order.
  std::vector<BuildKeyIssue> keyIssues(bool buildkit) const;

  // The build hash; `base_ids` maps each of bases() to its local image id ("" when the
  // base is not present locally).
  std::string hash(const std::map<std::string, std::string>& base_ids,
                   runtime::context::DigestCache* cache, runtime::context::HashStats* stats) const;
  // The engine request: a fresh tar stream, the tags, and the labels with `hash`. Keys the
  // builder ignores (keyIssues) are still sent where the request has them.
  runtime::BuildRequest request(const std::string& hash) const;

 private:
  explicit BuildInputs(runtime::context::BuildContext context) : context_(std::move(context)) {}

  runtime::context::BuildContext context_;
  std::string service_;
  std::vector<std::string> tags_;
  std::map<std::string, std::string> args_;
  std::vector<std::string> bases_;
  std::string target_;
  std::map<std::string, std::string> labels_;
  std::string platform_;
  std::vector<std::string> cache_from_;
  std::string network_;
  std::vector<std::string> extra_hosts_;
  int64_t shm_size_ = 0;
  bool ulimits_ = false;
  bool no_cache_ = false;
  bool pull_ = false;
  bool forced_ = false;
  std::vector<std::string> session_keys_;  // secrets, ssh, additional_contexts, cache_to
  bool privileged_ = false;
  std::string isolation_;
  size_t platforms_ = 0;
};

}  // namespace stack::orchestrator::images
