// Cross-references that no single key can check: every network, volume, secret and config
// a service uses is declared; images or builds exist; mutually exclusive keys.
#include <map>

#include "orchestrator/compose/node_reader.hpp"
#include "orchestrator/compose/normalize.hpp"

namespace stack::orchestrator::compose {
namespace {

using reader::quote;

[[noreturn]] void failAt(const yaml::Node& root, const std::string& path, std::string message,
                         std::string hint = {}) {
  throw configError(yaml::locate(root, path).location(path), std::move(message), std::move(hint));
}

void checkReferences(const Project& project, const Service& s, const yaml::Node& root) {
  std::string path = "services." + s.name;
  for (const auto& [network, _] : s.networks) {
    if (!project.networks.count(network)) {
      failAt(root, path + ".networks." + network,
             "service " + quote(s.name) + " refers to undefined network " + quote(network),
             "declare it under the top-level `networks:` key");
    }
  }
  for (size_t i = 0; i < s.volumes.size(); ++i) {
    const auto& volume = s.volumes[i];
    if (volume.type == "volume" && !volume.source.empty() &&
        !project.volumes.count(volume.source)) {
      failAt(root, path + ".volumes[" + std::to_string(i) + "]",
             "service " + quote(s.name) + " refers to undefined volume " + quote(volume.source),
             "declare it under the top-level `volumes:` key, or use a path starting with ./ for a "
             "bind mount");
    }
  }
  for (const auto& [list, objects, kind] : {std::tuple{&s.secrets, &project.secrets, "secret"},
                                            std::tuple{&s.configs, &project.configs, "config"}}) {
    for (const auto& ref : *list) {
      if (!objects->count(ref.source)) {
        failAt(
            root, path + "." + kind + "s",
            "service " + quote(s.name) + " refers to undefined " + kind + " " + quote(ref.source),
            std::string("declare it under the top-level `") + kind + "s:` key");
      }
    }
  }
}

void checkService(const Project& project, const Service& s, const yaml::Node& root) {
  std::string path = "services." + s.name;
  if (!s.build && s.image.empty()) {
    failAt(root, path,
           "service " + quote(s.name) + " has neither an image nor a build context specified",
           "add `image:` or `build:`");
  }
  if (!s.network_mode.empty() && !s.networks.empty()) {
    failAt(
        root, path + ".network_mode",
        "service " + quote(s.name) + " declares mutually exclusive `network_mode` and `networks`");
  }
  if (s.network_mode.rfind("service:", 0) == 0) {
    std::string target = s.network_mode.substr(8);
    if (!project.services.count(target) && !project.disabled_services.count(target)) {
      failAt(root, path + ".network_mode",
             "service " + quote(target) + " not found for network_mode 'service:" + target + "'");
    }
  }
  if (s.scale && s.deploy && s.deploy->replicas && *s.scale != *s.deploy->replicas) {
    failAt(root, path + ".scale", "can't set distinct values on 'scale' and 'deploy.replicas'");
  }
  checkReferences(project, s, root);
}

}  // namespace

void checkConsistency(const Project& project, const yaml::Node& root) {
  std::map<std::string, std::string> container_names;
  for (const auto& [name, service] : project.services) {
    checkService(project, service, root);
    if (service.container_name.empty()) continue;
    auto [it, inserted] = container_names.emplace(service.container_name, name);
    if (!inserted) {
      failAt(root, "services." + name + ".container_name",
             "services " + quote(it->second) + " and " + quote(name) +
                 " have the same container_name " + quote(service.container_name));
    }
  }
}

}  // namespace stack::orchestrator::compose
