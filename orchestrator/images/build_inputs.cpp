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

std::vector<std::string> unsupportedKeys(const compose::BuildConfig& build) {
  std::vector<std::string> keys;
  if (!build.additional_contexts.empty()) keys.push_back("additional_contexts");
  if (!build.cache_to.empty()) keys.push_back("cache_to");
  if (!build.secrets.is_null() && !build.secrets.empty()) keys.push_back("secrets");
  if (!build.ssh.is_null() && !build.ssh.empty()) keys.push_back("ssh");
  if (!build.ulimits.is_null() && !build.ulimits.empty()) keys.push_back("ulimits");
  if (build.platforms.size() > 1) keys.push_back("platforms");
  if (build.privileged) keys.push_back("privileged");
  if (!build.isolation.empty()) keys.push_back("isolation");
  return keys;
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
  inputs.no_cache_ = build.no_cache || options.no_cache;
  inputs.pull_ = build.pull || options.pull_bases;
  inputs.forced_ = inputs.no_cache_ || inputs.pull_;
  inputs.ignored_ = unsupportedKeys(build);
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
