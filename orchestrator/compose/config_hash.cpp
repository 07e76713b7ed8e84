#include "orchestrator/compose/config_hash.hpp"

#include <filesystem>
#include <fstream>
#include <memory>

#include "core/error.hpp"
#include "core/sha256.hpp"
#include "orchestrator/compose/serialize.hpp"

namespace stack::orchestrator::compose {
namespace {

// Length-prefixed fields, so ("ab", "c") and ("a", "bc") hash differently.
class FieldHash {
 public:
  void add(const std::string& part) {
    sha_.update(std::to_string(part.size()) + ":");
    sha_.update(part);
  }
  void update(const char* data, size_t size) { sha_.update(data, size); }
  std::string hex() { return sha_.hexDigest(); }

 private:
  stack::Sha256 sha_;
};

// Streams the file into the hash: secrets may be large.
void addFile(FieldHash& sha, const std::string& label, const std::string& path, bool required) {
  sha.add(label);
  sha.add(path);
  if (!std::filesystem::is_regular_file(path)) {
    if (!required) {
      sha.add("<absent>");
      return;
    }
    throw Error(ErrorKind::Io, "cannot hash \"" + path + "\": not a readable regular file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::Io, "cannot read \"" + path + "\"");
  sha.add("<file>");
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    sha.update(buffer, static_cast<size_t>(in.gcount()));
  }
}

void addObjects(FieldHash& sha, const char* kind, const std::vector<FileReference>& refs,
                const std::map<std::string, FileObjectConfig>& objects,
                const StringMap& environment) {
  for (const auto& ref : refs) {
    auto it = objects.find(ref.source);
    if (it == objects.end()) continue;
    const FileObjectConfig& object = it->second;
    if (!object.file.empty()) addFile(sha, std::string(kind) + ":" + ref.source, object.file, true);
    if (object.content) {
      sha.add(std::string(kind) + "-content:" + ref.source);
      sha.add(*object.content);
    }
    if (!object.environment.empty()) {
      auto value = environment.find(object.environment);
      sha.add(std::string(kind) + "-environment:" + ref.source);
      sha.add(value == environment.end() ? "<unset>" : "<set>" + value->second);
    }
  }
}

}  // namespace

std::string serviceConfigHash(const Project& project, const Service& service) {
  Json json = serviceToJson(service);
  for (const char* key : {"build", "pull_policy", "scale", "depends_on", "profiles"})
    json.erase(key);
  if (json.contains("deploy")) json["deploy"].erase("replicas");
  FieldHash sha;
  sha.add(kConfigHashVersion);
  sha.add(json.dump(-1, ' ', false, Json::error_handler_t::replace));
  for (const auto& file : service.env_file) addFile(sha, "env_file", file.path, file.required);
  addObjects(sha, "secret", service.secrets, project.secrets, project.environment);
  addObjects(sha, "config", service.configs, project.configs, project.environment);
  return sha.hex();
}

}  // namespace stack::orchestrator::compose
