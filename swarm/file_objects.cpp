// Reading the data of secrets and configs (see file_objects.hpp).

#include "swarm/file_objects.hpp"

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "core/error.hpp"

namespace stack::swarm {
namespace {

std::string readWhole(const std::string& path, const std::string& key_path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(ErrorKind::Config, "cannot read \"" + path + "\"",
                "check that the file exists and is readable")
        .setLocation({.key_path = key_path});
  }
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

void readSection(const std::string& section,
                 const std::map<std::string, compose::FileObjectConfig>& declared,
                 const std::set<std::string>& used, const EnvironmentLookup& environment,
                 std::map<std::string, std::string>& out) {
  for (const std::string& key : used) {
    auto it = declared.find(key);
    if (it == declared.end() || it->second.external || !it->second.driver.empty()) continue;
    const compose::FileObjectConfig& object = it->second;
    const std::string base = section + "." + key;
    if (object.content) {
      out[key] = *object.content;
    } else if (!object.environment.empty()) {
      std::optional<std::string> value =
          environment ? environment(object.environment) : std::nullopt;
      if (!value) {
        throw Error(ErrorKind::Config,
                    "environment variable \"" + object.environment + "\" is not set",
                    "export it in the shell that runs stack deploy")
            .setLocation({.key_path = base + ".environment"});
      }
      out[key] = *value;
    } else if (!object.file.empty()) {
      out[key] = readWhole(object.file, base + ".file");
    }
  }
}

}  // namespace

std::optional<std::string> processEnvironment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (!value) return std::nullopt;
  return std::string(value);
}

FileObjectData readFileObjects(const compose::Project& project,
                               const EnvironmentLookup& environment) {
  std::set<std::string> secrets, configs;
  for (const auto& [name, service] : project.services) {
    for (const auto& ref : service.secrets) secrets.insert(ref.source);
    for (const auto& ref : service.configs) configs.insert(ref.source);
  }
  FileObjectData out;
  readSection("secrets", project.secrets, secrets, environment, out.secrets);
  readSection("configs", project.configs, configs, environment, out.configs);
  return out;
}

}  // namespace stack::swarm
