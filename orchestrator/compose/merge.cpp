#include "orchestrator/compose/merge.hpp"

#include <unordered_map>

namespace stack::orchestrator::compose {
namespace {

using yaml::Node;

enum class Level { Top, Services, Service, Resources, Resource, Other };

void mergeValue(Node& base, Node over, const std::string& path, Level level);

// Merges mapping entries; `child` says which level each key's value is at.
template <typename ChildLevel>
void mergeMapping(Node& base, Node over, const std::string& path, ChildLevel child) {
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < base.entries.size(); ++i) index.emplace(base.entries[i].key, i);
  auto find = [&](const std::string& key) -> Node* {
    auto it = index.find(key);
    return it == index.end() ? nullptr : &base.entries[it->second].value;
  };
  std::vector<std::string> removed;
  for (auto& entry : over.entries) {
    Node* existing = find(entry.key);
    if (entry.value.tag == yaml::Tag::Reset) {
      if (existing) removed.push_back(entry.key);
      continue;
    }
    if (!existing) {
      stripMergeTags(entry.value);
      index.emplace(entry.key, base.entries.size());
      base.entries.push_back(std::move(entry));
      continue;
    }
    mergeValue(*existing, std::move(entry.value), yaml::childPath(path, entry.key),
               child(entry.key));
  }
  for (const auto& key : removed) base.erase(key);
}

bool sameDriver(const Node& base, const Node& over) {
  const Node* a = base.find("driver");
  const Node* b = over.find("driver");
  return !a || !b || a->value == b->value;
}

void mergeIpamConfig(Node& base, Node over) {
  for (auto& pool : over.items) {
    const Node* subnet = pool.find("subnet");
    Node* match = nullptr;
    for (auto& existing : base.items) {
      const Node* other = existing.find("subnet");
      if (subnet && other && subnet->value == other->value) match = &existing;
    }
    if (match && match->isMapping() && pool.isMapping()) {
      mergeValue(*match, std::move(pool), "", Level::Other);
    } else {
      stripMergeTags(pool);
      base.items.push_back(std::move(pool));
    }
  }
}

bool replacedWhole(const std::string& key) {
  return key == "command" || key == "entrypoint";
}

void mergeServiceKey(Node& base, Node over, const std::string& path, const std::string& key) {
  if (replacedWhole(key) || (key == "logging" && !sameDriver(base, over))) {
    stripMergeTags(over);
    base = std::move(over);
    return;
  }
  if (key == "healthcheck" && base.isMapping() && over.isMapping()) {
    if (Node* test = over.find("test"); test && test->tag != yaml::Tag::Reset) {
      if (Node* old = base.find("test")) *old = Node{};  // replaced, not appended
    }
  }
  if (key == "ulimits" && base.isMapping() && over.isMapping()) {
    for (auto& entry : over.entries) {
      if (Node* old = base.find(entry.key); old && entry.value.tag != yaml::Tag::Reset) {
        *old = Node{};
      }
    }
  }
  mergeValue(base, std::move(over), path, Level::Other);
}

void mergeValue(Node& base, Node over, const std::string& path, Level level) {
  if (over.tag == yaml::Tag::Override || base.isNull() || base.kind != over.kind) {
    if (over.isNull() && over.tag != yaml::Tag::Override) return;  // null keeps the base
    stripMergeTags(over);
    base = std::move(over);
    return;
  }
  if (over.isSequence()) {
    for (auto& item : over.items) {
      stripMergeTags(item);
      base.items.push_back(std::move(item));
    }
    return;
  }
  if (!over.isMapping()) {
    base = std::move(over);
    return;
  }
  switch (level) {
    case Level::Top:
      mergeMapping(base, std::move(over), path, [](const std::string& key) {
        if (key == "services") return Level::Services;
        bool resources =
            key == "networks" || key == "volumes" || key == "secrets" || key == "configs";
        return resources ? Level::Resources : Level::Other;
      });
      return;
    case Level::Services:
      mergeMapping(base, std::move(over), path, [](const std::string&) { return Level::Service; });
      return;
    case Level::Service:
      mergeService(base, std::move(over), path);
      return;
    case Level::Resources:
      mergeMapping(base, std::move(over), path, [](const std::string&) { return Level::Resource; });
      return;
    case Level::Resource:
      if (Node* ipam = over.find("ipam"); ipam && ipam->isMapping()) {
        Node* old = base.find("ipam");
        Node* old_config = old ? old->find("config") : nullptr;
        Node* new_config = ipam->find("config");
        if (old_config && new_config && old_config->isSequence() && new_config->isSequence() &&
            new_config->tag == yaml::Tag::None) {
          mergeIpamConfig(*old_config, std::move(*new_config));
          ipam->erase("config");
        }
      }
      [[fallthrough]];
    case Level::Other:
      mergeMapping(base, std::move(over), path, [](const std::string&) { return Level::Other; });
      return;
  }
}

}  // namespace

void stripMergeTags(Node& node) {
  node.tag = yaml::Tag::None;
  for (auto& item : node.items) stripMergeTags(item);
  std::erase_if(node.entries, [](const yaml::Entry& e) { return e.value.tag == yaml::Tag::Reset; });
  for (auto& entry : node.entries) stripMergeTags(entry.value);
}

void mergeService(Node& base, Node over, const std::string& path) {
  if (!base.isMapping() || !over.isMapping()) {
    mergeValue(base, std::move(over), path, Level::Other);
    return;
  }
  std::vector<std::string> removed;
  for (auto& entry : over.entries) {
    Node* existing = base.find(entry.key);
    if (entry.value.tag == yaml::Tag::Reset) {
      if (existing) removed.push_back(entry.key);
      continue;
    }
    if (!existing) {
      stripMergeTags(entry.value);
      base.entries.push_back(std::move(entry));
      continue;
    }
    mergeServiceKey(*existing, std::move(entry.value), yaml::childPath(path, entry.key), entry.key);
  }
  for (const auto& key : removed) base.erase(key);
}

void mergeFile(Node& base, Node over) {
  if (base.isNull()) {
    base = Node::mapping(over.mark);
  }
  mergeValue(base, std::move(over), "", Level::Top);
}

}  // namespace stack::orchestrator::compose
