#include "orchestrator/compose/resource_builder.hpp"

#include "orchestrator/compose/node_reader.hpp"

namespace stack::orchestrator::compose {
namespace {

using namespace reader;
using yaml::Node;

// `external: true`, or the legacy `external: {name: x}` which also names the resource.
bool readExternal(const Node& n, const std::string& p, std::string& name) {
  const Node* external = n.find("external");
  if (!external) return false;
  if (external->isMapping()) {
    checkKeys(*external, p + ".external", {"name"});
    if (const Node* v = external->find("name")) name = toString(*v, p + ".external.name");
    return true;
  }
  return toBool(*external, p + ".external");
}

std::vector<IpamPool> buildPools(const Node& n, const std::string& p) {
  requireSequence(n, p);
  std::vector<IpamPool> pools;
  for (size_t i = 0; i < n.items.size(); ++i) {
    const Node& item = n.items[i];
    std::string path = yaml::indexPath(p, i);
    checkKeys(item, path, {"subnet", "ip_range", "gateway", "aux_addresses"});
    IpamPool pool;
    if (const Node* v = item.find("subnet")) pool.subnet = toString(*v, path + ".subnet");
    if (const Node* v = item.find("ip_range")) pool.ip_range = toString(*v, path + ".ip_range");
    if (const Node* v = item.find("gateway")) pool.gateway = toString(*v, path + ".gateway");
    if (const Node* v = item.find("aux_addresses")) {
      pool.aux_addresses = toStringMap(*v, path + ".aux_addresses");
    }
    pools.push_back(std::move(pool));
  }
  return pools;
}

}  // namespace

NetworkConfig buildNetwork(const Node& node, const std::string& p) {
  NetworkConfig net;
  if (node.isNull()) return net;
  checkKeys(node, p,
            {"name", "driver", "driver_opts", "ipam", "external", "internal", "attachable",
             "labels", "enable_ipv4", "enable_ipv6"});
  if (const Node* v = node.find("name")) net.name = toString(*v, p + ".name");
  net.external = readExternal(node, p, net.name);
  if (const Node* v = node.find("driver")) net.driver = toString(*v, p + ".driver");
  if (const Node* v = node.find("driver_opts"))
    net.driver_opts = toStringMap(*v, p + ".driver_opts");
  if (const Node* ipam = node.find("ipam"); ipam && !ipam->isNull()) {
    std::string path = p + ".ipam";
    checkKeys(*ipam, path, {"driver", "config", "options"});
    if (const Node* v = ipam->find("driver")) net.ipam_driver = toString(*v, path + ".driver");
    if (const Node* v = ipam->find("config")) net.ipam_config = buildPools(*v, path + ".config");
    if (const Node* v = ipam->find("options"))
      net.ipam_options = toStringMap(*v, path + ".options");
  }
  if (const Node* v = node.find("internal")) net.internal = toBool(*v, p + ".internal");
  if (const Node* v = node.find("attachable")) net.attachable = toBool(*v, p + ".attachable");
  if (const Node* v = node.find("enable_ipv4")) net.enable_ipv4 = toBool(*v, p + ".enable_ipv4");
  if (const Node* v = node.find("enable_ipv6")) net.enable_ipv6 = toBool(*v, p + ".enable_ipv6");
  if (const Node* v = node.find("labels")) net.labels = toStringMap(*v, p + ".labels");
  net.extensions = extensions(node);
  return net;
}

VolumeConfig buildVolume(const Node& node, const std::string& p) {
  VolumeConfig volume;
  if (node.isNull()) return volume;
  checkKeys(node, p, {"name", "driver", "driver_opts", "external", "labels"});
  if (const Node* v = node.find("name")) volume.name = toString(*v, p + ".name");
  volume.external = readExternal(node, p, volume.name);
  if (const Node* v = node.find("driver")) volume.driver = toString(*v, p + ".driver");
  if (const Node* v = node.find("driver_opts"))
    volume.driver_opts = toStringMap(*v, p + ".driver_opts");
  if (const Node* v = node.find("labels")) volume.labels = toStringMap(*v, p + ".labels");
  volume.extensions = extensions(node);
  return volume;
}

FileObjectConfig buildFileObject(const Node& node, const std::string& p, bool secret) {
  FileObjectConfig object;
  if (secret) {
    checkKeys(node, p,
              {"name", "file", "environment", "external", "labels", "driver", "driver_opts",
               "template_driver"});
  } else {
    checkKeys(node, p,
              {"name", "file", "environment", "content", "external", "labels", "driver",
               "driver_opts", "template_driver"});
  }
  if (const Node* v = node.find("name")) object.name = toString(*v, p + ".name");
  object.external = readExternal(node, p, object.name);
  if (const Node* v = node.find("file")) object.file = toString(*v, p + ".file");
  if (const Node* v = node.find("environment"))
    object.environment = toString(*v, p + ".environment");
  if (const Node* v = node.find("content")) object.content = toString(*v, p + ".content");
  int sources = !object.file.empty() + !object.environment.empty() + object.content.has_value() +
                object.external;
  if (sources != 1) {
    yaml::fail(node, p, std::string(sources == 0 ? "has no source" : "has more than one source"),
               secret ? "set exactly one of file, environment or external"
                      : "set exactly one of file, environment, content or external");
  }
  if (const Node* v = node.find("labels")) object.labels = toStringMap(*v, p + ".labels");
  if (const Node* v = node.find("driver")) object.driver = toString(*v, p + ".driver");
  if (const Node* v = node.find("driver_opts"))
    object.driver_opts = toStringMap(*v, p + ".driver_opts");
  if (const Node* v = node.find("template_driver")) {
    object.template_driver = toString(*v, p + ".template_driver");
  }
  object.extensions = extensions(node);
  return object;
}

}  // namespace stack::orchestrator::compose
