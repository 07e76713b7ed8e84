// Cross-references that no single key can check: every network, volume, secret and config
// a service uses is declared; images or builds exist; mutually exclusive keys.
#include <map>

#include "orchestrator/compose/node_reader.hpp"
#include "orchestrator/compose/normalize.hpp"

namespace stack::compose {
namespace {

using reader::quote;

SourceLocation locateIn(const DeclarationMarks& marks, const std::string& path) {
  for (std::string key = path;; key = key.substr(0, key.find_last_of(".["))) {
    auto it = marks.find(key);
    if (it != marks.end()) return it->second.location(path);
    if (key.find_last_of(".[") == std::string::npos) return SourceLocation{{}, 0, 0, path};
  }
}

[[noreturn]] void fail(const DeclarationMarks& marks, const std::string& path, std::string message,
                       std::string hint = {}) {
  throw configError(locateIn(marks, path), std::move(message), std::move(hint));
}

void checkReferences(const Project& project, const Service& s, const DeclarationMarks& marks) {
  std::string path = "services." + s.name;
  for (const auto& [network, _] : s.networks) {
    if (!project.networks.count(network)) {
      fail(marks, path + ".networks." + network,
           "service " + quote(s.name) + " refers to undefined network " + quote(network),
           "declare it under the top-level `networks:` key");
    }
  }
  for (size_t i = 0; i < s.volumes.size(); ++i) {
    const auto& volume = s.volumes[i];
    if (volume.type == "volume" && !volume.source.empty() &&
        !project.volumes.count(volume.source)) {
      fail(marks, path + ".volumes[" + std::to_string(i) + "]",
           "service " + quote(s.name) + " refers to undefined volume " + quote(volume.source),
           "declare it under the top-level `volumes:` key, or use a path starting with ./ for a "
           "bind mount");
    }
  }
  for (const auto& [list, objects, kind] : {std::tuple{&s.secrets, &project.secrets, "secret"},
                                            std::tuple{&s.configs, &project.configs, "config"}}) {
    for (const auto& ref : *list) {
      if (!objects->count(ref.source)) {
        fail(marks, path + "." + kind + "s",
             "service " + quote(s.name) + " refers to undefined " + kind + " " + quote(ref.source),
             std::string("declare it under the top-level `") + kind + "s:` key");
      }
    }
  }
}

void checkService(const Project& project, const Service& s, const DeclarationMarks& marks) {
  std::string path = "services." + s.name;
  if (!s.build && s.image.empty()) {
    fail(marks, path,
         "service " + quote(s.name) + " has neither an image nor a build context specified",
         "add `image:` or `build:`");
  }
  if (!s.network_mode.empty() && !s.networks.empty()) {
    fail(marks, path + ".network_mode",
         "service " + quote(s.name) + " declares mutually exclusive `network_mode` and `networks`");
  }
  if (s.network_mode.rfind("service:", 0) == 0) {
    std::string target = s.network_mode.substr(8);
    if (!project.services.count(target) && !project.disabled_services.count(target)) {
      fail(marks, path + ".network_mode",
           "service " + quote(target) + " not found for network_mode 'service:" + target + "'");
    }
  }
  if (s.scale && s.deploy && s.deploy->replicas && *s.scale != *s.deploy->replicas) {
    fail(marks, path + ".scale", "can't set distinct values on 'scale' and 'deploy.replicas'");
  }
  checkReferences(project, s, marks);
}

}  // namespace

void checkConsistency(const Project& project, const DeclarationMarks& marks) {
  std::map<std::string, std::string> container_names;
  for (const auto& [name, service] : project.services) {
    checkService(project, service, marks);
    if (service.container_name.empty()) continue;
    auto [it, inserted] = container_names.emplace(service.container_name, name);
    if (!inserted) {
      fail(marks, "services." + name + ".container_name",
           "services " + quote(it->second) + " and " + quote(name) +
               " have the same container_name " + quote(service.container_name));
    }
  }
}

}  // namespace stack::compose
