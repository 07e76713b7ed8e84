#include "orchestrator/compose/compose_file.hpp"

#include <cstring>
#include <filesystem>

#include "orchestrator/compose/canonical.hpp"
#include "orchestrator/compose/dotenv.hpp"
#include "orchestrator/compose/interpolation.hpp"
#include "orchestrator/compose/merge.hpp"
#include "orchestrator/compose/node_reader.hpp"
#include "orchestrator/compose/paths.hpp"

namespace stack::orchestrator::compose {
namespace {

namespace fs = std::filesystem;
using reader::quote;
using yaml::Node;

std::string directoryOf(const std::string& file) {
  return fs::path(file).parent_path().string();
}

LookupFn lookupIn(const StringMap* env) {
  return [env](const std::string& name) -> std::optional<std::string> {
    auto it = env->find(name);
    if (it == env->end()) return std::nullopt;
    return it->second;
  };
}

// Parse, interpolate and canonicalize every document; merge them in order.
Node loadDocuments(const std::string& content, const FileScope& scope,
                   const FileSettings& settings) {
  auto file = std::make_shared<const std::string>(scope.path);
  Node merged;
  for (auto& doc : yaml::parseDocuments(content, file)) {
    if (doc.isNull()) continue;
    if (!doc.isMapping()) {
      yaml::fail(doc, "",
                 "the top level of a compose file must be a mapping, not " + doc.describe(),
                 "start with keys such as `services:`");
    }
    reader::checkKeys(
        doc, "",
        {"name", "services", "networks", "volumes", "configs", "secrets", "include", "version"});
    if (settings.interpolate) interpolateTree(doc, lookupIn(scope.environment), *settings.warnings);
    if (const Node* version = doc.find("version")) {
      settings.warnings->push_back(scope.path +
                                   ": the attribute `version` is obsolete, it will be "
                                   "ignored, please remove it to avoid potential confusion");
      (void)version;
      doc.erase("version");
    }
    for (const char* section : {"services", "networks", "volumes", "configs", "secrets"}) {
      const Node* value = doc.find(section);
      if (value && !value->isMapping() && !value->isNull()) {
        yaml::fail(*value, section, "must be a mapping, not " + value->describe());
      }
    }
    canonicalizeFile(doc);
    if (merged.isNull()) {
      merged = std::move(doc);  // keep !reset and !override for the merge with other files
    } else {
      mergeFile(merged, std::move(doc));
    }
  }
  if (merged.isNull()) merged = Node::mapping(yaml::Mark{file, 1, 1});
  return merged;
}

class ExtendsResolver {
 public:
  ExtendsResolver(const FileSettings& settings, const StringMap* env)
      : settings_(settings), env_(env) {}

  void resolve(Node& services, const std::string& name, const std::string& file,
               const std::string& dir);

 private:
  using Mark = yaml::Mark;
  Node& loadOther(const std::string& path, const Mark& from, const std::string& key_path);

  const FileSettings& settings_;
  const StringMap* env_;
  std::map<std::string, std::unique_ptr<Node>> files_;
  std::vector<std::string> chain_;
};

Node& ExtendsResolver::loadOther(const std::string& path, const Mark& from,
                                 const std::string& key_path) {
  auto it = files_.find(path);
  if (it != files_.end()) return *it->second;
  if (!fs::is_regular_file(path)) {
    yaml::failAt(from, key_path, "extended file " + quote(path) + " does not exist");
  }
  FileScope scope{path, directoryOf(path), env_, {}};
  auto doc = std::make_unique<Node>(loadDocuments(readTextFile(path), scope, settings_));
  return *files_.emplace(path, std::move(doc)).first->second;
}

void ExtendsResolver::resolve(Node& services, const std::string& name, const std::string& file,
                              const std::string& dir) {
  Node* service = services.find(name);
  if (!service || !service->isMapping()) return;
  Node* extends = service->find("extends");
  if (!extends) return;
  std::string path = "services." + name + ".extends";
  reader::checkKeys(*extends, path, {"service", "file"});
  const Node* ref_node = extends->find("service");
  if (!ref_node) yaml::fail(*extends, path, "extends needs a \"service\"");
  std::string ref = reader::toString(*ref_node, path + ".service");
  std::string key = file + "#" + name;
  if (std::find(chain_.begin(), chain_.end(), key) != chain_.end()) {
    std::string cycle;
    for (const auto& step : chain_) cycle += step.substr(step.find('#') + 1) + " -> ";
    yaml::fail(*extends, path, "extends cycle: " + cycle + name);
  }
  chain_.push_back(key);
  Node base;
  if (const Node* other = extends->find("file")) {
    std::string other_path =
        resolvePath(reader::toString(*other, path + ".file"), dir, settings_.home);
    Node& doc = loadOther(other_path, other->mark, path + ".file");
    Node* other_services = doc.find("services");
    if (!other_services || !other_services->find(ref)) {
      yaml::fail(*ref_node, path + ".service",
                 "cannot extend service " + quote(name) + ": service " + quote(ref) +
                     " not found in " + quote(other_path));
    }
    resolve(*other_services, ref, other_path, directoryOf(other_path));
    base = *other_services->find(ref);
    resolveServicePaths(base, directoryOf(other_path), settings_.home);
  } else {
    if (!services.find(ref)) {
      yaml::fail(*ref_node, path + ".service",
                 "cannot extend service " + quote(name) + ": service " + quote(ref) + " not found");
    }
    resolve(services, ref, file, dir);
    base = *services.find(ref);
  }
  chain_.pop_back();
  service = services.find(name);  // still valid: entries were only reassigned
  Node derived = std::move(*service);
  derived.erase("extends");
  mergeService(base, std::move(derived), "services." + name);
  *service = std::move(base);
}

void importResources(Node& doc, Node included, const Node& include_item, const std::string& file) {
  for (const char* section : {"services", "networks", "volumes", "secrets", "configs"}) {
    Node* source = included.find(section);
    if (!source || !source->isMapping()) continue;
    Node* target = doc.find(section);
    if (!target || target->isNull()) target = &doc.set(section, Node::mapping(include_item.mark));
    for (auto& entry : source->entries) {
      if (const Node* existing = target->find(entry.key)) {
        yaml::fail(*existing, std::string(section) + "." + entry.key,
                   "imported compose file " + quote(file) + " defines conflicting " +
                       std::string(section).substr(0, std::strlen(section) - 1) + " " +
                       quote(entry.key),
                   "rename one of them, or override it in a file passed with -f instead");
      }
      target->entries.push_back(std::move(entry));
    }
  }
}

struct IncludeSpec {
  std::vector<std::string> paths;
  std::string project_dir;
  std::vector<std::string> env_files;
};

IncludeSpec readInclude(const Node& item, const std::string& path, const FileScope& scope,
                        const FileSettings& settings) {
  IncludeSpec spec;
  auto resolve = [&](const std::string& p) {
    return resolvePath(p, scope.base_dir, settings.home);
  };
  if (item.isScalar()) {
    spec.paths.push_back(resolve(item.value));
  } else {
    reader::checkKeys(item, path, {"path", "project_directory", "env_file"});
    const Node* paths = item.find("path");
    if (!paths) yaml::fail(item, path, "include needs a \"path\"");
    for (const auto& p : reader::toStringList(*paths, path + ".path", true))
      spec.paths.push_back(resolve(p));
    if (const Node* dir = item.find("project_directory")) {
      spec.project_dir = resolve(reader::toString(*dir, path + ".project_directory"));
    }
    if (const Node* env = item.find("env_file")) {
      for (const auto& p : reader::toStringList(*env, path + ".env_file", true))
        spec.env_files.push_back(resolve(p));
    }
  }
  if (spec.paths.empty()) yaml::fail(item, path, "include needs a \"path\"");
  if (spec.project_dir.empty()) spec.project_dir = directoryOf(spec.paths.front());
  if (spec.env_files.empty() && fs::is_regular_file(spec.project_dir + "/.env")) {
    spec.env_files.push_back(spec.project_dir + "/.env");
  }
  return spec;
}

void applyIncludes(Node& doc, const FileScope& scope, const FileSettings& settings) {
  Node* include = doc.find("include");
  if (!include) return;
  Node includes = std::move(*include);
  doc.erase("include");
  if (includes.isNull()) return;
  reader::requireSequence(includes, "include");
  for (size_t i = 0; i < includes.items.size(); ++i) {
    const Node& item = includes.items[i];
    std::string path = yaml::indexPath("include", i);
    IncludeSpec spec = readInclude(item, path, scope, settings);
    StringMap env = *scope.environment;  // the including project's variables win
    for (const auto& env_file : spec.env_files) {
      for (auto& [k, v] : readDotenvFile(env_file, lookupIn(scope.environment))) env.emplace(k, v);
      settings.env_files_read->push_back(env_file);
    }
    std::vector<std::string> chain = scope.include_chain;
    chain.push_back(scope.path);
    Node merged;
    for (const auto& file : spec.paths) {
      if (std::find(chain.begin(), chain.end(), file) != chain.end()) {
        std::string cycle;
        for (auto it = std::find(chain.begin(), chain.end(), file); it != chain.end(); ++it) {
          cycle += *it + " -> ";
        }
        yaml::fail(item, path, "include cycle: " + cycle + file);
      }
      if (!fs::is_regular_file(file))
        yaml::fail(item, path, "included file " + quote(file) + " does not exist");
      FileScope child{file, spec.project_dir, &env, chain};
      mergeFile(merged, loadComposeFile(readTextFile(file), child, settings));
    }
    resolveFilePaths(merged, spec.project_dir, settings.home);
    importResources(doc, std::move(merged), item, spec.paths.front());
  }
}

}  // namespace

Node loadComposeFile(const std::string& content, const FileScope& scope,
                     const FileSettings& settings) {
  Node doc = loadDocuments(content, scope, settings);
  applyIncludes(doc, scope, settings);
  if (Node* services = doc.find("services"); services && services->isMapping()) {
    ExtendsResolver resolver(settings, scope.environment);
    for (size_t i = 0; i < services->entries.size(); ++i) {
      if (!services->entries[i].value.find("extends")) continue;  // the common case, cheaply
      resolver.resolve(*services, services->entries[i].key, scope.path, scope.base_dir);
    }
  }
  return doc;
}

}  // namespace stack::orchestrator::compose
