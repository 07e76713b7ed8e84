#include "orchestrator/compose/canonical.hpp"

#include <unordered_map>

#include "orchestrator/compose/short_syntax.hpp"

namespace stack::orchestrator::compose {
namespace {

using yaml::Node;

Node quoted(std::string text, const yaml::Mark& mark) {
  return Node::scalar(std::move(text), mark);
}
Node plain(std::string text, const yaml::Mark& mark) {
  return Node::scalar(std::move(text), mark, false);
}

// ["A=1", "B"] -> {A: "1", B: null} (or B: "" when `bare_is_empty`, as for labels).
void listToMapping(Node& node, bool bare_is_empty) {
  if (!node.isSequence()) return;
  Node mapping = Node::mapping(node.mark);
  mapping.tag = node.tag;
  for (const auto& item : node.items) {
    if (!item.isScalar()) return;  // wrong shape: the builder reports it
    auto eq = item.value.find('=');
    Node value;
    if (eq != std::string::npos) {
      value = quoted(item.value.substr(eq + 1), item.mark);
    } else if (bare_is_empty) {
      value = quoted("", item.mark);
    } else {
      value.mark = item.mark;
    }
    value.interpolated = item.interpolated;
    std::string key = item.value.substr(0, eq);
    mapping.set(key, std::move(value)).mark = item.mark;
    mapping.entries.back().key_mark = item.mark;
  }
  node = std::move(mapping);
}

void scalarToList(Node& node) {
  if (!node.isScalar()) return;
  Node list = Node::sequence(node.mark);
  list.tag = node.tag;
  node.tag = yaml::Tag::None;
  list.items.push_back(std::move(node));
  node = std::move(list);
}

// ["a", "b"] -> {a: <value>, b: <value>}.
void namesToMapping(Node& node, const Node& value) {
  if (!node.isSequence()) return;
  Node mapping = Node::mapping(node.mark);
  mapping.tag = node.tag;
  for (const auto& item : node.items) {
    if (!item.isScalar()) return;
    Node entry = value;
    entry.mark = item.mark;
    for (auto& e : entry.entries) e.value.mark = item.mark;
    mapping.set(item.value, std::move(entry));
    mapping.entries.back().key_mark = item.mark;
  }
  node = std::move(mapping);
}

// {host: ip} or ["host:ip"] -> ["host=ip"], as compose prints extra_hosts.
void canonicalHosts(Node& node) {
  if (node.isMapping()) {
    Node list = Node::sequence(node.mark);
    list.tag = node.tag;
    for (const auto& entry : node.entries) {
      if (entry.value.isSequence()) {
        for (const auto& ip : entry.value.items) {
          list.items.push_back(quoted(entry.key + "=" + ip.value, ip.mark));
        }
      } else {
        list.items.push_back(quoted(entry.key + "=" + entry.value.value, entry.value.mark));
      }
    }
    node = std::move(list);
    return;
  }
  scalarToList(node);
  for (auto& item : node.items) {
    if (!item.isScalar() || item.value.find('=') != std::string::npos) continue;
    auto colon = item.value.find(':');
    if (colon != std::string::npos) item.value[colon] = '=';
  }
}

template <typename Parse>
void expandItems(Node& node, const std::string& path, Parse parse) {
  if (!node.isSequence()) return;
  std::vector<Node> items;
  for (size_t i = 0; i < node.items.size(); ++i) {
    Node& item = node.items[i];
    if (!item.isScalar()) {
      items.push_back(std::move(item));
      continue;
    }
    parse(item, yaml::indexPath(path, i), items);
  }
  node.items = std::move(items);
}

void canonicalPorts(Node& node, const std::string& path) {
  expandItems(node, path, [](const Node& item, const std::string& p, std::vector<Node>& out) {
    for (auto& port : parsePortSpec(item, p)) out.push_back(std::move(port));
  });
}

void canonicalVolumes(Node& node, const std::string& path) {
  expandItems(node, path, [](const Node& item, const std::string& p, std::vector<Node>& out) {
    out.push_back(parseVolumeSpec(item, p));
  });
}

void canonicalDevices(Node& node, const std::string& path) {
  expandItems(node, path, [](const Node& item, const std::string& p, std::vector<Node>& out) {
    out.push_back(parseDeviceSpec(item, p));
  });
}

// "name" -> {source: name} (secrets, configs) or {path: name} (env_file).
void namesToObjects(Node& node, const char* key) {
  if (node.isScalar()) scalarToList(node);
  if (!node.isSequence()) return;
  for (auto& item : node.items) {
    if (!item.isScalar()) continue;
    Node object = Node::mapping(item.mark);
    object.set(key, std::move(item));
    item = std::move(object);
  }
}

void canonicalBuild(Node& build) {
  if (build.isScalar()) {
    Node mapping = Node::mapping(build.mark);
    mapping.tag = build.tag;
    build.tag = yaml::Tag::None;
    mapping.set("context", std::move(build));
    build = std::move(mapping);
  }
  if (!build.isMapping()) return;
  if (Node* args = build.find("args")) listToMapping(*args, false);
  if (Node* labels = build.find("labels")) listToMapping(*labels, true);
  if (Node* contexts = build.find("additional_contexts")) listToMapping(*contexts, true);
  if (Node* hosts = build.find("extra_hosts")) canonicalHosts(*hosts);
  if (Node* secrets = build.find("secrets")) namesToObjects(*secrets, "source");
  for (const char* key : {"cache_from", "cache_to", "tags", "platforms"}) {
    if (Node* list = build.find(key)) scalarToList(*list);
  }
}

void canonicalDependsOn(Node& node) {
  Node defaults = Node::mapping(node.mark);
  defaults.set("condition", quoted("service_started", node.mark));
  defaults.set("required", plain("true", node.mark));
  namesToMapping(node, defaults);
}

}  // namespace

void canonicalizeService(Node& service, const std::string& path) {
  if (!service.isMapping()) return;
  for (auto& entry : service.entries) {
    const std::string& key = entry.key;
    Node& value = entry.value;
    std::string child = yaml::childPath(path, key);
    if (key == "build")
      canonicalBuild(value);
    else if (key == "environment")
      listToMapping(value, false);
    else if (key == "labels" || key == "annotations" || key == "sysctls")
      listToMapping(value, true);
    else if (key == "extra_hosts")
      canonicalHosts(value);
    else if (key == "env_file")
      namesToObjects(value, "path");
    else if (key == "secrets" || key == "configs")
      namesToObjects(value, "source");
    else if (key == "ports")
      canonicalPorts(value, child);
    else if (key == "volumes")
      canonicalVolumes(value, child);
    else if (key == "devices")
      canonicalDevices(value, child);
    else if (key == "depends_on")
      canonicalDependsOn(value);
    else if (key == "networks")
      namesToMapping(value, Node{});
    else if (key == "dns" || key == "dns_search" || key == "tmpfs" || key == "label_file") {
      scalarToList(value);
    } else if (key == "extends" && value.isScalar()) {
      Node mapping = Node::mapping(value.mark);
      mapping.set("service", std::move(value));
      value = std::move(mapping);
    } else if (key == "deploy" && value.isMapping()) {
      if (Node* labels = value.find("labels")) listToMapping(*labels, true);
    }
  }
}

void canonicalizeFile(Node& root) {
  Node* services = root.find("services");
  if (services && services->isMapping()) {
    for (auto& entry : services->entries) {
      canonicalizeService(entry.value, "services." + entry.key);
    }
  }
  for (const char* section : {"networks", "volumes"}) {
    Node* resources = root.find(section);
    if (!resources || !resources->isMapping()) continue;
    for (auto& entry : resources->entries) {
      if (Node* labels = entry.value.find("labels")) listToMapping(*labels, true);
    }
  }
  for (const char* section : {"secrets", "configs"}) {
    Node* resources = root.find(section);
    if (!resources || !resources->isMapping()) continue;
    for (auto& entry : resources->entries) {
      if (Node* labels = entry.value.find("labels")) listToMapping(*labels, true);
    }
  }
}

namespace {

using KeyFn = std::string (*)(const Node&);

std::string scalarKey(const Node& item) {
  if (!item.isScalar()) return {};
  return item.value.substr(0, item.value.find('='));
}

std::string field(const Node& item, std::string_view key, std::string fallback = {}) {
  const Node* value = item.find(key);
  return value && value->isScalar() ? value->value : fallback;
}

std::string portKey(const Node& item) {
  if (!item.isMapping()) return item.value;
  return field(item, "host_ip", "0.0.0.0") + ":" + field(item, "published") + ":" +
         field(item, "target") + "/" + field(item, "protocol", "tcp");
}

std::string targetKey(const Node& item) {
  return field(item, "target");
}
std::string secretKey(const Node& item) {
  return field(item, "target", "/run/secrets/" + field(item, "source"));
}
std::string configKey(const Node& item) {
  return field(item, "target", "/" + field(item, "source"));
}
std::string pathKey(const Node& item) {
  return field(item, "path");
}

// Keeps the first position of each key and the last value given for it.
void dedupe(Node& list, KeyFn key_of) {
  if (!list.isSequence() || list.items.size() < 2) return;
  std::vector<Node> unique;
  std::unordered_map<std::string, size_t> seen;
  for (auto& item : list.items) {
    auto [it, inserted] = seen.emplace(key_of(item), unique.size());
    if (inserted)
      unique.push_back(std::move(item));
    else
      unique[it->second] = std::move(item);
  }
  list.items = std::move(unique);
}

void dedupeService(Node& service) {
  static const std::pair<const char*, KeyFn> kLists[] = {
      {"ports", portKey},      {"volumes", targetKey},
      {"secrets", secretKey},  {"configs", configKey},
      {"env_file", pathKey},   {"devices", targetKey},
      {"expose", scalarKey},   {"cap_add", scalarKey},
      {"cap_drop", scalarKey}, {"dns", scalarKey},
      {"dns_opt", scalarKey},  {"dns_search", scalarKey},
      {"tmpfs", scalarKey},    {"links", scalarKey},
      {"profiles", scalarKey}, {"extra_hosts", [](const Node& n) { return n.value; }},
  };
  for (const auto& [key, key_of] : kLists) {
    if (Node* list = service.find(key)) dedupe(*list, key_of);
  }
  if (Node* build = service.find("build"); build && build->isMapping()) {
    if (Node* tags = build->find("tags")) dedupe(*tags, scalarKey);
    if (Node* hosts = build->find("extra_hosts"))
      dedupe(*hosts, [](const Node& n) { return n.value; });
  }
  if (Node* networks = service.find("networks"); networks && networks->isMapping()) {
    for (auto& entry : networks->entries) {
      if (Node* aliases = entry.value.find("aliases")) dedupe(*aliases, scalarKey);
      if (Node* ips = entry.value.find("link_local_ips")) dedupe(*ips, scalarKey);
    }
  }
}

}  // namespace

void enforceUnicity(Node& root) {
  Node* services = root.find("services");
  if (!services || !services->isMapping()) return;
  for (auto& entry : services->entries) {
    if (entry.value.isMapping()) dedupeService(entry.value);
  }
}

}  // namespace stack::orchestrator::compose
