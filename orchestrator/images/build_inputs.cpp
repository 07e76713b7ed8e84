#include "orchestrator/images/build_inputs.hpp"

#include "core/error.hpp"
#include "orchestrator/compose/labels.hpp"
#include "orchestrator/images/dockerfile_stages.hpp"

namespace stack::orchestrator::images {
namespace {

bool isRemoteContext(const std::string& context) {
  return context.find("://") != std::string::npos || context.rfind("git@", 0) == 0 ||
         context.rfind("github.com/", 0) == 0;
}

// build.args, then --build-arg. An arg without a value (`- FOO`) takes FOO from the
// environment interpolation saw, and is left out when that has no FOO, as compose does.
std::map<std::string, std::string> resolveArgs(const compose::Project& project,
                                               const compose::BuildConfig& build,
                                               const ImageOptions& options) {
  std::map<std::string, std::string> args;
  for (const auto& [key, value] : build.args) {
    if (value) {
      args[key] = *value;
    } else if (auto it = project.environment.find(key); it != project.environment.end()) {
      args[key] = it->second;
    }
  }
  for (const auto& [key, value] : options.build_args) args[key] = value;
  return args;
}

bool present(const compose::Json& value) {
  return !value.is_null() && !value.empty();
}

// Keys that need a BuildKit client session (POST /session, a gRPC stream stack does not
// open); dockerd 20.10 answers a secret or ssh mount without one with "no active sessions".
std::vector<std::string> sessionKeys(const compose::BuildConfig& build) {
  std::vector<std::string> keys;
  if (present(build.secrets)) keys.push_back("secrets");
  if (present(build.ssh)) keys.push_back("ssh");
  if (!build.additional_contexts.empty()) keys.push_back("additional_contexts");
  if (!build.cache_to.empty()) keys.push_back("cache_to");
  return keys;
}

BuildKeyIssue sessionIssue(const std::string& key) {
  if (key == "cache_to") {
    return {key,
            "is ignored: exporting the build cache needs a BuildKit client session, which "
            "stack does not open",
            "export the cache with `docker buildx build --cache-to`", false};
  }
  std::string what = key == "additional_contexts"
                         ? "named build contexts need"
                         : (key == "ssh" ? "an SSH agent mount needs" : "build secrets need");
  return {key,
          "cannot be honoured: " + what +
              " a BuildKit client session (the engine's /session gRPC stream), which stack "
              "does not open; the engine would fail such a build (\"no active sessions\")",
          "build this service with `docker compose build`, or remove build." + key +
              " and what uses it from the Dockerfile",
          true};
}

}  // namespace

BuildInputs BuildInputs::resolve(const compose::Project& project, const compose::Service& service,
                                 const ImageOptions& options) {
  if (!service.build) {
    throw Error(ErrorKind::Internal, "service \"" + service.name + "\" has no build section");
  }
  const compose::BuildConfig& build = *service.build;
  const std::string where = "service \"" + service.name + "\"";
  if (isRemoteContext(build.context)) {
    throw Error(ErrorKind::Build, "remote build contexts are not supported: " + build.context,
                "clone the repository and point build.context at the directory")
        .addContext(where);
  }
  runtime::context::BuildContextOptions context_options;
  context_options.context = build.context;
  context_options.dockerfile = build.dockerfile;
  context_options.dockerfile_inline = build.dockerfile_inline;
  auto context = [&] {
    try {
      return runtime::context::BuildContext::open(context_options);
    } catch (Error& error) {
      error.addContext(where);
      throw;
    }
  }();
  BuildInputs inputs(std::move(context));
  inputs.service_ = service.name;
  inputs.tags_.push_back(serviceImage(project, service));
  for (const auto& tag : build.tags) {
    if (tag != inputs.tags_.front()) inputs.tags_.push_back(tag);
  }
  inputs.args_ = resolveArgs(project, build, options);
  inputs.target_ = build.target;
  inputs.labels_ = build.labels;
  inputs.platform_ = service.platform;
  if (inputs.platform_.empty() && build.platforms.size() == 1) {
    inputs.platform_ = build.platforms.front();
  }
  inputs.cache_from_ = build.cache_from;
  inputs.network_ = build.network;
  for (std::string host : build.extra_hosts) {
    // compose writes "host=ip"; the engine's extrahosts wants "host:ip".
    if (const auto equals = host.find('='); equals != std::string::npos) host[equals] = ':';
    inputs.extra_hosts_.push_back(std::move(host));
  }
  inputs.shm_size_ = build.shm_size.value_or(0);
  inputs.ulimits_ = present(build.ulimits);
  inputs.no_cache_ = build.no_cache || options.no_cache;
  inputs.pull_ = build.pull || options.pull_bases;
  inputs.forced_ = inputs.no_cache_ || inputs.pull_;
  inputs.session_keys_ = sessionKeys(build);
  inputs.privileged_ = build.privileged;
  inputs.isolation_ = build.isolation;
  inputs.platforms_ = build.platforms.size();
  const auto stages =
      parseDockerfileStages(inputs.context_.resolved()->dockerfile_content, inputs.args_);
  inputs.bases_ = baseImages(stages, inputs.target_);
  return inputs;
}

std::string BuildInputs::hash(const std::map<std::string, std::string>& base_ids,
                              runtime::context::DigestCache* cache,
                              runtime::context::HashStats* stats) const {
  runtime::context::ContentHasher hasher = runtime::context::hashContext(context_, cache, stats);
  hasher.add("stack-build-v1");
  hasher.add(static_cast<uint64_t>(args_.size()));
  for (const auto& [key, value] : args_) hasher.add(key).add(value);
  hasher.add(target_);
  hasher.add(static_cast<uint64_t>(labels_.size()));
  for (const auto& [key, value] : labels_) hasher.add(key).add(value);
  hasher.add(platform_);
  hasher.add(static_cast<uint64_t>(bases_.size()));
  for (const auto& base : bases_) {
    auto it = base_ids.find(base);
    hasher.add(base).add(it == base_ids.end() ? std::string() : it->second);
  }
  return hasher.hexDigest();
}

std::vector<BuildKeyIssue> BuildInputs::keyIssues(bool buildkit) const {
  std::vector<BuildKeyIssue> issues;
  for (const auto& key : session_keys_) issues.push_back(sessionIssue(key));
  if (buildkit && !network_.empty() && network_ != "default" && network_ != "host" &&
      network_ != "none") {
    issues.push_back({"network",
                      "\"" + network_ +
                          "\" cannot be used: BuildKit runs RUN steps only on the default "
                          "network, host or none",
                      "use one of those, or DOCKER_BUILDKIT=0 (the classic builder joins a "
                      "named network)",
                      true});
  }
  const std::string classic_honours =
      "set DOCKER_BUILDKIT=0 to build with the classic builder, which honours it";
  if (buildkit && shm_size_ > 0) {
    issues.push_back(
        {"shm_size", "is ignored: BuildKit in this engine drops it", classic_honours, false});
  }
  if (ulimits_) {
    // The Engine API's classic builder takes `ulimits`, but BuildRequest does not carry it
    // yet; BuildKit in dockerd 20.10 drops it anyway.
    issues.push_back({"ulimits", "is ignored: stack does not pass build ulimits to the engine",
                      "set the limits in the RUN step (ulimit -n ...)", false});
  }
  if (privileged_) {
    issues.push_back({"privileged",
                      "is ignored: the Engine API has no privileged build (BuildKit's "
                      "RUN --security=insecure needs a client session)",
                      "build with `docker buildx build --allow security.insecure`", false});
  }
  if (!isolation_.empty()) {
    issues.push_back({"isolation", "is ignored: isolation applies to Windows engines only",
                      "remove build.isolation", false});
  }
  if (platforms_ > 1) {
    issues.push_back({"platforms",
                      "is ignored: a multi-platform build needs buildx; the engine builds "
                      "for its own platform",
                      "keep one platform, or build with `docker buildx`", false});
  }
  return issues;
}

runtime::BuildRequest BuildInputs::request(const std::string& hash) const {
  runtime::BuildRequest request;
  request.context = context_.tar();
  request.dockerfile = context_.dockerfile();
  request.tags = tags_;
  request.build_args = args_;
  request.labels = labels_;
  request.labels[std::string(compose::labels::kBuildHash)] = hash;
  request.target = target_;
  request.cache_from = cache_from_;
  request.network_mode = network_;
  request.extra_hosts = extra_hosts_;
  request.platform = platform_;
  request.shm_size = shm_size_;
  request.no_cache = no_cache_;
  request.pull = pull_;
  request.force_rm = true;  // a failed step leaves no intermediate container behind
  return request;
}

}  // namespace stack::orchestrator::images
