#include "orchestrator/compose/normalize.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

#include "orchestrator/compose/dotenv.hpp"
#include "orchestrator/compose/node_reader.hpp"
#include "orchestrator/compose/resource_builder.hpp"
#include "orchestrator/compose/service_graph.hpp"

namespace stack::orchestrator::compose {
namespace {

using reader::quote;
using yaml::Node;

SourceLocation locate(const Node& root, const std::string& path) {
  return yaml::locate(root, path).location(path);
}

[[noreturn]] void failService(const Node& root, const std::string& path, std::string message,
                              std::string hint = {}) {
  throw configError(locate(root, path), std::move(message), std::move(hint));
}

void addImplicitDependency(Service& service, const std::string& target, bool restart) {
  if (target.empty() || service.depends_on.count(target)) return;
  service.depends_on[target] = DependsOn{"service_started", restart, true};
}

std::string serviceRef(const std::string& value) {
  return value.rfind("service:", 0) == 0 ? value.substr(8) : std::string();
}

// links, network_mode/ipc/pid/uts/cgroup: service:X and volumes_from, as compose-go does.
void addImplicitDependencies(Service& service) {
  for (const auto& link : service.links)
    addImplicitDependency(service, link.substr(0, link.find(':')), true);
  for (const auto* mode :
       {&service.network_mode, &service.ipc, &service.pid, &service.uts, &service.cgroup}) {
    addImplicitDependency(service, serviceRef(*mode), true);
  }
  for (const auto& from : service.volumes_from) {
    if (from.rfind("container:", 0) == 0) continue;
    addImplicitDependency(service, from.substr(0, from.find(':')), false);
  }
}

void resolveEnvironment(Service& service, const Project& project, const Node& root) {
  auto lookup_project = [&](const std::string& name) -> std::optional<std::string> {
    auto it = project.environment.find(name);
    if (it == project.environment.end()) return std::nullopt;
    return it->second;
  };
  OptionalStringMap from_files;
  for (size_t i = 0; i < service.env_file.size(); ++i) {
    const EnvFile& file = service.env_file[i];
    if (!std::filesystem::is_regular_file(file.path)) {
      if (!file.required) continue;
      failService(root, "services." + service.name + ".env_file[" + std::to_string(i) + "]",
                  "env file " + quote(file.path) + " not found",
                  "create it, or mark it optional with `required: false`");
    }
    LookupFn lookup = [&](const std::string& name) -> std::optional<std::string> {
      if (auto value = lookup_project(name)) return value;
      auto it = service.environment.find(name);
      if (it != service.environment.end()) return it->second;
      return std::nullopt;
    };
    for (auto& [key, value] : readDotenvFile(file.path, lookup)) from_files[key] = value;
  }
  for (auto& [key, value] : from_files) service.environment.emplace(key, value);
  for (auto& [key, value] : service.environment) {
    if (!value) value = lookup_project(key);
  }
  if (service.build) {
    for (auto it = service.build->args.begin(); it != service.build->args.end();) {
      if (!it->second) it->second = lookup_project(it->first);
      it = it->second ? std::next(it) : service.build->args.erase(it);
    }
  }
}

void setResourceNames(Project& project) {
  auto name_of = [&](const std::string& key, bool external) {
    return external ? key : project.name + "_" + key;
  };
  for (auto& [key, network] : project.networks) {
    if (network.name.empty()) network.name = name_of(key, network.external);
  }
  for (auto& [key, volume] : project.volumes) {
    if (volume.name.empty()) volume.name = name_of(key, volume.external);
  }
  for (auto* objects : {&project.secrets, &project.configs}) {
    for (auto& [key, object] : *objects) {
      if (object.name.empty()) object.name = name_of(key, object.external);
    }
  }
}

void attachDefaultNetwork(Project& project) {
  bool uses_default = false;
  for (auto* services : {&project.services, &project.disabled_services}) {
    for (auto& [name, service] : *services) {
      if (!service.network_mode.empty()) continue;
      if (service.networks.empty()) service.networks["default"] = std::nullopt;
      uses_default = uses_default || service.networks.count("default");
    }
  }
  if (uses_default && !project.networks.count("default"))
    project.networks["default"] = NetworkConfig{};
}

bool hasActiveProfile(const Service& service, const std::set<std::string>& active) {
  if (service.profiles.empty() || active.count("*")) return true;
  return std::any_of(service.profiles.begin(), service.profiles.end(),
                     [&](const std::string& p) { return active.count(p) != 0; });
}

void applyProfiles(Project& project, const NormalizeOptions& options) {
  std::set<std::string> active(options.profiles.begin(), options.profiles.end());
  for (const auto& name : options.selected_services) {
    auto it = project.services.find(name);
    if (it == project.services.end()) {
      throw configError({.key_path = "services"}, "no such service: " + quote(name),
                        "check the service names with `stack config --services`");
    }
    active.insert(it->second.profiles.begin(), it->second.profiles.end());
  }
  for (auto it = project.services.begin(); it != project.services.end();) {
    if (hasActiveProfile(it->second, active)) {
      ++it;
      continue;
    }
    project.disabled_services.insert(project.services.extract(it++));
  }
  project.profiles.assign(active.begin(), active.end());
}

}  // namespace

// compose-spec: names of services, networks, volumes, secrets and configs.
void checkName(const yaml::Entry& entry, const std::string& section) {
  bool valid = !entry.key.empty() && std::all_of(entry.key.begin(), entry.key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
  if (!valid) {
    yaml::failAt(entry.key_mark, section + "." + entry.key, "invalid name " + quote(entry.key),
                 "use only letters, digits, '.', '_' and '-'");
  }
}

void buildProject(Project& project, const Node& root) {
  if (const Node* services = root.find("services"); services && services->isMapping()) {
    for (const auto& entry : services->entries) {
      checkName(entry, "services");
      project.services.emplace(entry.key, buildService(entry.key, entry.value));
    }
  }
  // Keys under networks, volumes, secrets and configs are names even when they start with
  // "x-", as in compose.
  auto section = [&](const char* key, auto build) {
    const Node* node = root.find(key);
    if (!node || !node->isMapping()) return;
    for (const auto& entry : node->entries) {
      std::string path = std::string(key) + "." + entry.key;
      checkName(entry, key);
      build(entry.key, entry.value, path);
    }
  };
  section("networks", [&](auto& k, auto& n, auto& p) { project.networks[k] = buildNetwork(n, p); });
  section("volumes", [&](auto& k, auto& n, auto& p) { project.volumes[k] = buildVolume(n, p); });
  section("secrets",
          [&](auto& k, auto& n, auto& p) { project.secrets[k] = buildFileObject(n, p, true); });
  section("configs",
          [&](auto& k, auto& n, auto& p) { project.configs[k] = buildFileObject(n, p, false); });
  project.extensions = reader::extensions(root);
}

void normalizeProject(Project& project, const NormalizeOptions& options, const Node& root,
                      std::vector<std::string>& warnings) {
  if (options.normalize) attachDefaultNetwork(project);
  setResourceNames(project);
  if (options.normalize) {
    for (auto& [name, service] : project.services) addImplicitDependencies(service);
  }
  applyProfiles(project, options);
  if (options.resolve_environment) {
    for (auto& [name, service] : project.services) resolveEnvironment(service, project, root);
  }
  if (!options.check_consistency) return;
  checkConsistency(project, root);
  try {
    serviceGraph(project, &warnings);
  } catch (Error& error) {
    if (error.location().file.empty()) error.setLocation(locate(root, error.location().key_path));
    throw;
  }
}

}  // namespace stack::orchestrator::compose
