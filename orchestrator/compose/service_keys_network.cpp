// Service keys about networking: ports, expose, networks, network_mode, links, DNS, hosts.
#include <arpa/inet.h>

#include "orchestrator/compose/node_reader.hpp"
#include "orchestrator/compose/service_builder.hpp"

namespace stack::orchestrator::compose::service_keys {
namespace {

using namespace reader;
using yaml::Node;

bool validIp(const std::string& ip) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, ip.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, ip.c_str(), buffer) == 1;
}

bool validPublished(const std::string& text) {
  auto number = [](const std::string& part) {
    if (part.empty() || part.size() > 5 ||
        part.find_first_not_of("0123456789") != std::string::npos) {
      return false;
    }
    return std::stoul(part) <= 65535;
  };
  auto dash = text.find('-');
  if (dash == std::string::npos) return number(text);
  return number(text.substr(0, dash)) && number(text.substr(dash + 1)) &&
         std::stoul(text.substr(0, dash)) <= std::stoul(text.substr(dash + 1));
}

PortConfig buildPort(const Node& n, const std::string& p) {
  checkKeys(n, p, {"name", "target", "published", "host_ip", "protocol", "mode", "app_protocol"});
  PortConfig port;
  const Node* target = n.find("target");
  if (!target)
    yaml::fail(n, p, "port has no \"target\"", "add the container port, e.g. target: 80");
  port.target = static_cast<uint32_t>(toInt(*target, p + ".target", 1, 65535));
  if (const Node* published = n.find("published")) {
    port.published = toString(*published, p + ".published", true);
    if (!validPublished(port.published)) {
      yaml::fail(*published, p + ".published", "invalid published port " + quote(port.published),
                 "use a port from 0 to 65535 or a range like \"8000-8010\"");
    }
  }
  if (const Node* ip = n.find("host_ip")) {
    port.host_ip = toString(*ip, p + ".host_ip");
    if (!validIp(port.host_ip))
      yaml::fail(*ip, p + ".host_ip", "invalid IP address " + quote(port.host_ip));
  }
  if (const Node* protocol = n.find("protocol")) {
    port.protocol = toString(*protocol, p + ".protocol");
    if (port.protocol != "tcp" && port.protocol != "udp" && port.protocol != "sctp") {
      yaml::fail(*protocol, p + ".protocol", "invalid protocol " + quote(port.protocol),
                 "use tcp, udp or sctp");
    }
  }
  if (const Node* mode = n.find("mode")) {
    port.mode = toString(*mode, p + ".mode");
    if (port.mode != "host" && port.mode != "ingress") {
      yaml::fail(*mode, p + ".mode", "invalid port mode " + quote(port.mode),
                 "use host or ingress");
    }
  }
  if (const Node* name = n.find("name")) port.name = toString(*name, p + ".name");
  if (const Node* app = n.find("app_protocol"))
    port.app_protocol = toString(*app, p + ".app_protocol");
  return port;
}

void setPorts(Service& s, const Node& n, const std::string& p) {
  requireSequence(n, p);
  for (size_t i = 0; i < n.items.size(); ++i) {
    s.ports.push_back(buildPort(n.items[i], yaml::indexPath(p, i)));
  }
}

ServiceNetwork buildAttachment(const Node& n, const std::string& p) {
  checkKeys(n, p,
            {"aliases", "ipv4_address", "ipv6_address", "link_local_ips", "mac_address", "priority",
             "driver_opts", "gw_priority", "interface_name"});
  ServiceNetwork network;
  if (const Node* v = n.find("aliases")) network.aliases = toStringList(*v, p + ".aliases");
  if (const Node* v = n.find("ipv4_address"))
    network.ipv4_address = toString(*v, p + ".ipv4_address");
  if (const Node* v = n.find("ipv6_address"))
    network.ipv6_address = toString(*v, p + ".ipv6_address");
  if (const Node* v = n.find("link_local_ips")) {
    network.link_local_ips = toStringList(*v, p + ".link_local_ips");
  }
  if (const Node* v = n.find("mac_address")) network.mac_address = toString(*v, p + ".mac_address");
  if (const Node* v = n.find("priority"))
    network.priority = static_cast<int>(toInt(*v, p + ".priority"));
  if (const Node* v = n.find("driver_opts"))
    network.driver_opts = toStringMap(*v, p + ".driver_opts");
  return network;
}

void setNetworks(Service& s, const Node& n, const std::string& p) {
  if (!n.isMapping())
    yaml::fail(n, p, "must be a list of network names or a mapping, not " + n.describe());
  for (const auto& entry : n.entries) {
    std::string path = yaml::childPath(p, entry.key);
    if (entry.value.isNull()) {
      s.networks[entry.key] = std::nullopt;
    } else {
      s.networks[entry.key] = buildAttachment(entry.value, path);
    }
  }
}

void setNetworkMode(Service& s, const Node& n, const std::string& p) {
  s.network_mode = toString(n, p);
}

constexpr KeyHandler kKeys[] = {
    {"ports", setPorts},
    {"expose", [](Service& s, const Node& n,
                  const std::string& p) { s.expose = toStringList(n, p, false, true); }},
    {"networks", setNetworks},
    {"network_mode", setNetworkMode},
    {"links",
     [](Service& s, const Node& n, const std::string& p) { s.links = toStringList(n, p); }},
    {"external_links", [](Service& s, const Node& n,
                          const std::string& p) { s.external_links = toStringList(n, p); }},
    {"extra_hosts",
     [](Service& s, const Node& n, const std::string& p) { s.extra_hosts = toStringList(n, p); }},
    {"dns", [](Service& s, const Node& n, const std::string& p) { s.dns = toStringList(n, p); }},
    {"dns_search",
     [](Service& s, const Node& n, const std::string& p) { s.dns_search = toStringList(n, p); }},
    {"dns_opt",
     [](Service& s, const Node& n, const std::string& p) { s.dns_opt = toStringList(n, p); }},
    {"mac_address",
     [](Service& s, const Node& n, const std::string& p) { s.mac_address = toString(n, p); }},
};

}  // namespace

std::span<const KeyHandler> networkKeys() {
  return kKeys;
}

}  // namespace stack::orchestrator::compose::service_keys
