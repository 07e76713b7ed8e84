#include "orchestrator/compose/paths.hpp"

#include <filesystem>

namespace stack::orchestrator::compose {
namespace {

using yaml::Node;

bool isRemote(const std::string& value) {
  return value.find("://") != std::string::npos || value.rfind("git@", 0) == 0 ||
         value.rfind("github.com/", 0) == 0;
}

void resolveScalar(Node* node, const std::string& base_dir, const std::string& home) {
  if (node && node->isScalar() && !isRemote(node->value)) {
    node->value = resolvePath(node->value, base_dir, home);
  }
}

}  // namespace

std::string resolvePath(const std::string& path, const std::string& base_dir,
                        const std::string& home) {
  std::filesystem::path out;
  if (path == "~" || path.rfind("~/", 0) == 0) {
    out = std::filesystem::path(home) / path.substr(std::min<size_t>(2, path.size()));
  } else if (!path.empty() && path[0] == '/') {
    out = path;
  } else {
    out = std::filesystem::path(base_dir) / path;
  }
  std::string clean = out.lexically_normal().string();
  while (clean.size() > 1 && clean.back() == '/') clean.pop_back();
  return clean;
}

void resolveServicePaths(Node& service, const std::string& base_dir, const std::string& home) {
  if (!service.isMapping()) return;
  if (Node* build = service.find("build"); build && build->isMapping()) {
    Node* context = build->find("context");
    if (!context) context = &build->set("context", Node::scalar(".", build->mark));
    resolveScalar(context, base_dir, home);
    if (Node* contexts = build->find("additional_contexts"); contexts && contexts->isMapping()) {
      for (auto& entry : contexts->entries) {
        if (entry.value.isScalar() && entry.value.value.rfind("service:", 0) != 0) {
          resolveScalar(&entry.value, base_dir, home);
        }
      }
    }
  }
  if (Node* files = service.find("env_file"); files && files->isSequence()) {
    for (auto& item : files->items) resolveScalar(item.find("path"), base_dir, home);
  }
  if (Node* volumes = service.find("volumes"); volumes && volumes->isSequence()) {
    for (auto& volume : volumes->items) {
      const Node* type = volume.find("type");
      if (type && type->value == "bind") resolveScalar(volume.find("source"), base_dir, home);
    }
  }
  if (Node* develop = service.find("develop"); develop && develop->isMapping()) {
    if (Node* watch = develop->find("watch"); watch && watch->isSequence()) {
      for (auto& rule : watch->items) resolveScalar(rule.find("path"), base_dir, home);
    }
  }
}

void resolveFilePaths(Node& root, const std::string& base_dir, const std::string& home) {
  if (Node* services = root.find("services"); services && services->isMapping()) {
    for (auto& entry : services->entries) resolveServicePaths(entry.value, base_dir, home);
  }
  for (const char* section : {"secrets", "configs"}) {
    Node* objects = root.find(section);
    if (!objects || !objects->isMapping()) continue;
    for (auto& entry : objects->entries) {
      if (entry.value.isMapping()) resolveScalar(entry.value.find("file"), base_dir, home);
    }
  }
}

}  // namespace stack::orchestrator::compose
