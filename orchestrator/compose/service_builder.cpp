#include "orchestrator/compose/service_builder.hpp"

#include <unordered_map>

#include "orchestrator/compose/node_reader.hpp"
#include "orchestrator/compose/policies.hpp"
#include "orchestrator/compose/units.hpp"

namespace stack::orchestrator::compose {
namespace {

using namespace reader;
using service_keys::Handler;
using yaml::Node;

struct KeyTable {
  std::unordered_map<std::string_view, Handler> handlers;
  std::vector<std::string_view> names;
};

const KeyTable& keyTable() {
  static const KeyTable table = [] {
    KeyTable t;
    for (auto keys :
         {service_keys::processKeys(), service_keys::resourceKeys(), service_keys::networkKeys(),
          service_keys::storageKeys(), service_keys::lifecycleKeys()}) {
      for (const auto& entry : keys) {
        t.handlers.emplace(entry.key, entry.handler);
        t.names.push_back(entry.key);
      }
    }
    t.names.push_back("depends_on");
    return t;
  }();
  return table;
}

DependsOn buildDependency(const Node& n, const std::string& p) {
  checkKeys(n, p, {"condition", "restart", "required"});
  DependsOn d;
  if (const Node* v = n.find("condition")) {
    d.condition = toString(*v, p + ".condition");
    if (!parseDependencyCondition(d.condition)) {
      yaml::fail(*v, p + ".condition", "invalid condition " + quote(d.condition),
                 "use service_started, service_healthy or service_completed_successfully");
    }
  }
  if (const Node* v = n.find("restart")) d.restart = toBool(*v, p + ".restart");
  if (const Node* v = n.find("required")) d.required = toBool(*v, p + ".required");
  return d;
}

void setDependsOn(Service& s, const Node& n, const std::string& p) {
  if (!n.isMapping()) {
    yaml::fail(n, p, "must be a list of service names or a mapping, not " + n.describe());
  }
  for (const auto& entry : n.entries) {
    std::string path = yaml::childPath(p, entry.key);
    s.depends_on[entry.key] = buildDependency(entry.value, path);
  }
}

[[noreturn]] void unknownKey(const yaml::Entry& entry, const std::string& path) {
  auto suggestion = closestMatch(entry.key, keyTable().names);
  yaml::failAt(entry.key_mark, yaml::childPath(path, entry.key),
               "unknown service key " + quote(entry.key),
               suggestion ? "did you mean " + quote(*suggestion) + "?"
                          : "see the compose specification for service keys; extension keys "
                            "must start with \"x-\"");
}

}  // namespace

Service buildService(const std::string& name, const Node& node) {
  std::string path = "services." + name;
  if (!node.isMapping()) {
    yaml::fail(node, path, "a service must be a mapping, not " + node.describe(),
               "give the service at least an image or a build section");
  }
  Service service;
  service.name = name;
  const auto& handlers = keyTable().handlers;
  for (const auto& entry : node.entries) {
    if (entry.key.rfind("x-", 0) == 0) {
      service.extensions[entry.key] = toJson(entry.value);
      continue;
    }
    std::string child = yaml::childPath(path, entry.key);
    if (entry.key == "depends_on") {
      setDependsOn(service, entry.value, child);
      continue;
    }
    auto it = handlers.find(entry.key);
    if (it == handlers.end()) unknownKey(entry, path);
    if (entry.value.isNull()) continue;  // `key:` with no value means unset
    it->second(service, entry.value, child);
  }
  return service;
}

}  // namespace stack::orchestrator::compose
