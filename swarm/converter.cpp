// The converter's top level: services, the networks they use, secrets and configs.

#include "swarm/converter.hpp"

#include <cmath>
#include <set>

#include "core/error.hpp"
#include "orchestrator/compose/labels.hpp"
#include "runtime/context/content_hasher.hpp"
#include "swarm/converter_detail.hpp"

namespace stack::swarm {
namespace detail {

void ConvertContext::fail(const compose::Service& service, const std::string& key,
                          const std::string& message, const std::string& hint) const {
  SourceLocation location;
  location.key_path = "services." + service.name + "." + key;
  throw Error(ErrorKind::Config, message, hint).setLocation(location);
}

int64_t nanoCpus(double cpus) {
  return static_cast<int64_t>(std::llround(cpus * 1e9));
}

int64_t nanos(compose::Duration duration) {
  return static_cast<int64_t>(duration.count());
}

}  // namespace detail

std::string_view actionName(FindingAction action) {
  switch (action) {
    case FindingAction::Ignored:
      return "ignored";
    case FindingAction::Converted:
      return "converted";
    case FindingAction::Done:
      return "done";
  }
  return "ignored";
}

Json findingsJson(const std::vector<Finding>& findings) {
  Json out = Json::array();
  for (const Finding& f : findings) {
    out.push_back({{"service", f.service},
                   {"key", f.key},
                   {"action", std::string(actionName(f.action))},
                   {"detail", f.detail}});
  }
  return out;
}

namespace {

using detail::ConvertContext;

// Networks every engine has on every node: no aliases, never created nor checked.
bool isPredefinedNetwork(const std::string& name) {
  return name == "host" || name == "bridge" || name == "none" || name == "ingress";
}

// The service's network keys; network_mode becomes what Swarm can do instead.
std::map<std::string, std::optional<compose::ServiceNetwork>> networksOf(
    const ConvertContext& context, const compose::Service& service) {
  const std::string& mode = service.network_mode;
  if (mode.empty()) return service.networks;
  if (mode == "host" || mode == "none") {
    context.note(service, "network_mode", FindingAction::Converted,
                 "the service joins the predefined \"" + mode + "\" network");
    return {{"__" + mode, std::nullopt}};
  }
  context.note(service, "network_mode", FindingAction::Ignored,
               "Swarm services cannot share another container's or the bridge network; the "
               "service joins the stack's default overlay network");
  return {{"default", std::nullopt}};
}

std::string networkName(const compose::Project& project, const std::string& key) {
  if (key.rfind("__", 0) == 0) return key.substr(2);  // predefined (network_mode)
  auto it = project.networks.find(key);
  if (it != project.networks.end() && !it->second.name.empty()) return it->second.name;
  return scopedName(project.name, key);
}

Json networkAttachments(const ConvertContext& context, const compose::Service& service,
                        std::set<std::string>& used) {
  std::vector<Json> out;
  for (const auto& [key, options] : networksOf(context, service)) {
    used.insert(key);
    const std::string target = networkName(context.project, key);
    Json attachment = {{"Target", target}};
    std::vector<std::string> aliases;
    if (options) aliases = options->aliases;
    if (!isPredefinedNetwork(target)) aliases.push_back(service.name);
    if (!aliases.empty()) attachment["Aliases"] = aliases;
    if (options && !options->driver_opts.empty()) attachment["DriverOpts"] = options->driver_opts;
    out.push_back(std::move(attachment));
  }
  std::sort(out.begin(), out.end(), [](const Json& a, const Json& b) {
    return a["Target"].get<std::string>() < b["Target"].get<std::string>();
  });
  return out;
}

runtime::NetworkCreateRequest networkCreate(const std::string& stack, const std::string& name,
                                            const compose::NetworkConfig& network) {
  runtime::NetworkCreateRequest create;
  create.name = name;
  create.driver = network.driver.empty() || network.driver == "bridge" ? "overlay" : network.driver;
  create.internal = network.internal;
  create.attachable = network.attachable.value_or(false);
  create.enable_ipv6 = network.enable_ipv6.value_or(false);
  create.options = network.driver_opts;
  create.labels = network.labels;
  create.labels[std::string(kNamespaceLabel)] = stack;
  create.ipam_driver = network.ipam_driver;
  for (const auto& pool : network.ipam_config) {
    create.ipam_config.push_back({pool.subnet, pool.ip_range, pool.gateway, pool.aux_addresses});
  }
  create.ipam_options = network.ipam_options;
  return create;
}

std::vector<NetworkSpec> networkSpecs(const compose::Project& project,
                                      const std::set<std::string>& used,
                                      std::vector<Finding>& findings) {
  std::vector<NetworkSpec> out;
  for (const std::string& key : used) {
    NetworkSpec spec;
    spec.key = key;
    spec.name = networkName(project, key);
    if (isPredefinedNetwork(spec.name)) continue;
    auto it = project.networks.find(key);
    const compose::NetworkConfig config =
        it == project.networks.end() ? compose::NetworkConfig{} : it->second;
    spec.external = config.external;
    if (!spec.external) spec.create = networkCreate(project.name, spec.name, config);
    if (!spec.external && config.driver == "bridge") {
      findings.push_back({"", "networks." + key + ".driver", FindingAction::Converted,
                          "a bridge network cannot carry Swarm services; created as overlay"});
    }
    out.push_back(std::move(spec));
  }
  return out;
}

std::string contentHash(const std::string& data) {
  return stack::sha256Hex(data);
}

// The stack's secrets (or configs) that some service uses.
void fileObjectSpecs(const std::string& stack,
                     const std::map<std::string, compose::FileObjectConfig>& declared,
                     const std::set<std::string>& used,
                     const std::map<std::string, std::string>& data,
                     std::vector<FileObjectSpec>& out, std::vector<std::string>& external) {
  for (const std::string& key : used) {
    auto it = declared.find(key);
    if (it == declared.end()) continue;  // the loader reports undefined references
    const compose::FileObjectConfig& config = it->second;
    const std::string name = config.name.empty() ? scopedName(stack, key) : config.name;
    if (config.external) {
      external.push_back(name);
      continue;
    }
    FileObjectSpec spec;
    spec.key = key;
    spec.name = name;
    spec.spec.name = name;
    spec.spec.labels = config.labels;
    spec.spec.labels[std::string(kNamespaceLabel)] = stack;
    spec.spec.driver = config.driver;
    spec.spec.driver_options = config.driver_opts;
    spec.spec.templating = config.template_driver;
    if (config.driver.empty()) {
      auto found = data.find(key);
      if (found != data.end()) spec.spec.data = found->second;
    }
    const Json identity = {{"data", contentHash(spec.spec.data)},
                           {"driver", config.driver},
                           {"options", config.driver_opts},
                           {"templating", config.template_driver},
                           {"labels", spec.spec.labels}};
    spec.content_hash = contentHash(identity.dump());
    spec.spec.labels[std::string(kContentHashLabel)] = spec.content_hash;
    out.push_back(std::move(spec));
  }
}

ServiceSpec convertService(const ConvertContext& context, const compose::Service& service,
                           std::set<std::string>& used_networks) {
  ServiceSpec out;
  out.key = service.name;
  out.name = scopedName(context.project.name, service.name);
  out.image = compose::serviceImage(context.project, service);
  runtime::StringMap labels;
  if (service.deploy) labels = service.deploy->labels;
  labels[std::string(kNamespaceLabel)] = context.project.name;
  labels[std::string(kImageLabel)] = out.image;
  Json task = {{"ContainerSpec", detail::containerSpec(context, service)},
               {"Networks", networkAttachments(context, service, used_networks)}};
  if (service.logging) {
    task["LogDriver"] = {{"Name", service.logging->driver}};
    if (!service.logging->options.empty()) task["LogDriver"]["Options"] = service.logging->options;
  }
  out.spec = {{"Name", out.name}, {"Labels", labels}, {"TaskTemplate", std::move(task)}};
  detail::applyDeploy(context, service, out.spec);
  detail::noteDroppedKeys(context, service);
  return out;
}

}  // namespace

StackSpec convert(const compose::Project& project, const ConvertInputs& inputs) {
  StackSpec out;
  out.stack = project.name;
  ConvertContext context{project, inputs, out.findings};
  std::set<std::string> used_networks, used_secrets, used_configs;
  for (const auto& [name, service] : project.services) {
    out.services.push_back(convertService(context, service, used_networks));
    for (const auto& ref : service.secrets) used_secrets.insert(ref.source);
    for (const auto& ref : service.configs) used_configs.insert(ref.source);
  }
  out.networks = networkSpecs(project, used_networks, out.findings);
  fileObjectSpecs(project.name, project.secrets, used_secrets, inputs.secret_data, out.secrets,
                  out.external_secrets);
  fileObjectSpecs(project.name, project.configs, used_configs, inputs.config_data, out.configs,
                  out.external_configs);
  return out;
}

}  // namespace stack::swarm
