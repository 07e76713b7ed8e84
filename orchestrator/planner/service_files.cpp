// Secrets and configs a service uses. Those backed by a file are bind-mounted read-only;
// those whose content comes from the environment or the compose file (`environment:`,
// `content:`) are copied into the container after create and before start, as docker
// compose does, so their uid, gid and mode apply and nothing is left on the host.

#include <charconv>

#include "core/error.hpp"
#include "orchestrator/planner/container_spec.hpp"

namespace stack::orchestrator::planner {
namespace {

struct Kind {
  const char* section;  // "secrets" or "configs"
  const char* noun;     // "secret" or "config"
  std::string directory;
};

Kind secretKind() {
  return {"secrets", "secret", "/run/secrets/"};
}
Kind configKind() {
  return {"configs", "config", "/"};
}

// compose's targets: /run/secrets/<source> or /<source> by default; a relative target is
// relative to that directory.
std::string targetOf(const compose::FileReference& reference, const Kind& kind) {
  if (reference.target.empty()) return kind.directory + reference.source;
  if (reference.target.front() == '/') return reference.target;
  return kind.directory + reference.target;
}

uint32_t idOf(const std::string& text, const std::string& key_path) {
  if (text.empty()) return 0;
  uint32_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw configError({.key_path = key_path}, "\"" + text + "\" is not a numeric id",
                      "give the user or group id as a number");
  }
  return value;
}

// The content of a secret or config that is not a file; nullopt for a file or external one.
std::optional<std::string> contentOf(const compose::Project& project,
                                     const compose::FileObjectConfig& object,
                                     const std::string& key_path) {
  if (object.content) return object.content;
  if (object.environment.empty()) return std::nullopt;
  auto value = project.environment.find(object.environment);
  if (value == project.environment.end()) {
    throw configError({.key_path = key_path + ".environment"},
                      "environment variable " + object.environment + " is not set",
                      "set it in the shell or in the project's .env file");
  }
  return value->second;
}

void addReferences(std::vector<runtime::ContainerFile>& files, const compose::Project& project,
                   const compose::Service& service,
                   const std::vector<compose::FileReference>& references,
                   const std::map<std::string, compose::FileObjectConfig>& objects,
                   const Kind& kind) {
  for (size_t i = 0; i < references.size(); ++i) {
    const auto& reference = references[i];
    auto object = objects.find(reference.source);
    if (object == objects.end()) continue;
    const std::string where = std::string(kind.section) + "." + reference.source;
    auto content = contentOf(project, object->second, where);
    if (!content) continue;
    const std::string key =
        "services." + service.name + "." + kind.section + "[" + std::to_string(i) + "]";
    if (service.read_only) {
      throw configError({.key_path = key},
                        std::string(kind.noun) + " \"" + reference.source +
                            "\" is copied into the container, whose root filesystem is "
                            "read_only",
                        "back the " + std::string(kind.noun) +
                            " with `file:`, which is mounted, or drop read_only");
    }
    runtime::ContainerFile file;
    file.path = targetOf(reference, kind);
    file.content = std::move(*content);
    file.mode = reference.mode.value_or(0444);
    file.uid = idOf(reference.uid, key + ".uid");
    file.gid = idOf(reference.gid, key + ".gid");
    files.push_back(std::move(file));
  }
}

void addBinds(runtime::HostConfig& host, const std::vector<compose::FileReference>& references,
              const std::map<std::string, compose::FileObjectConfig>& objects, const Kind& kind) {
  for (const auto& reference : references) {
    auto object = objects.find(reference.source);
    if (object == objects.end() || object->second.file.empty()) continue;
    host.binds.push_back(object->second.file + ":" + targetOf(reference, kind) + ":ro");
  }
}

}  // namespace

std::vector<runtime::ContainerFile> serviceFiles(const compose::Project& project,
                                                 const compose::Service& service) {
  std::vector<runtime::ContainerFile> files;
  addReferences(files, project, service, service.secrets, project.secrets, secretKind());
  addReferences(files, project, service, service.configs, project.configs, configKind());
  return files;
}

void addFileMounts(runtime::HostConfig& host, const compose::Project& project,
                   const compose::Service& service) {
  addBinds(host, service.secrets, project.secrets, secretKind());
  addBinds(host, service.configs, project.configs, configKind());
}

}  // namespace stack::orchestrator::planner
