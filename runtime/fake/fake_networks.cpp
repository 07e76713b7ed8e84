// Networks (daemon/network.go, container_operations.go, libnetwork): endpoints exist only
// while a container runs, so `network rm` is refused (403) only for running members; a
// stopped member keeps its reference, and its next start fails with "network x not
// found" when the network is gone. Address pools follow dockerd's defaults: 172.17/16 for
// the default bridge, then 172.18/16 ... 172.31/16, then 192.168.x.0/20.
#include "runtime/fake/fake_daemon.hpp"

namespace stack::runtime::fake::detail {
namespace {

struct Cidr {
  uint32_t address = 0;
  int prefix = 0;
};

uint32_t maskOf(int prefix) {
  return prefix == 0 ? 0 : ~uint32_t(0) << (32 - prefix);
}

std::optional<Cidr> parseCidr(const std::string& text) {
  const auto slash = text.find('/');
  if (slash == std::string::npos) return {};
  const auto address = parseIpv4(text.substr(0, slash));
  const int prefix = std::atoi(text.c_str() + slash + 1);
  if (!address || prefix < 1 || prefix > 30) return {};
  return Cidr{*address & maskOf(prefix), prefix};
}

bool overlaps(const Cidr& a, uint32_t b, int b_prefix) {
  const uint32_t mask = maskOf(std::min(a.prefix, b_prefix));
  return (a.address & mask) == (b & mask);
}

bool userDefined(const NetworkRecord& n) {
  return !n.predefined;
}

void validateEndpoint(const NetworkRecord& n, const EndpointSettings& config) {
  if (!userDefined(n)) {
    if (!config.ipv4_address.empty())
      throw engineError("user specified IP address is supported on user defined networks only");
    if (!config.aliases.empty())
      throw engineError(
          "network-scoped alias is supported only for containers in user defined networks");
    return;
  }
  if (!config.ipv4_address.empty() && !n.user_subnet)
    throw engineError(
        "user specified IP address is supported only when connecting to networks with user "
        "configured subnets");
}

std::string macFor(uint32_t ip) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "02:42:%02x:%02x:%02x:%02x", ip >> 24, (ip >> 16) & 0xff,
                (ip >> 8) & 0xff, ip & 0xff);
  return buffer;
}

}  // namespace

std::pair<uint32_t, int> Daemon::allocateSubnet() {
  std::vector<Cidr> pools;
  for (uint32_t second = 17; second <= 31; ++second)
    pools.push_back({(172u << 24) | (second << 16), 16});
  for (uint32_t third = 0; third < 256; third += 16)
    pools.push_back({(192u << 24) | (168u << 16) | (third << 8), 20});
  for (const auto& pool : pools) {
    bool taken = false;
    for (const auto& [id, n] : networks)
      if (n.subnet != 0 && overlaps(pool, n.subnet, n.prefix)) taken = true;
    if (!taken) return {pool.address, pool.prefix};
  }
  throw engineError(
      "could not find an available, non-overlapping IPv4 address pool among the "
      "defaults to assign to the network");
}

std::string Daemon::createNetwork(const NetworkCreateRequest& request) {
  if (request.name.empty()) throw engineError("network name must not be empty");
  for (const auto& [id, n] : networks)
    if (n.name == request.name)
      throw conflict("network with name " + request.name + " already exists");
  NetworkRecord n;
  n.name = request.name;
  n.driver = request.driver.empty() ? "bridge" : request.driver;
  if (n.driver == "host" || n.driver == "null")
    throw conflict("only one instance of \"" + n.driver + "\" network is allowed");
  n.internal = request.internal;
  n.attachable = request.attachable;
  n.enable_ipv6 = request.enable_ipv6;
  n.options = request.options;
  n.labels = request.labels;
  n.ipam_driver = request.ipam_driver.empty() ? "default" : request.ipam_driver;
  n.ipam_options = request.ipam_options;
  n.ipam_config = request.ipam_config;
  n.created = clock.now();
  if (!n.ipam_config.empty() && !n.ipam_config[0].subnet.empty()) {
    const auto cidr = parseCidr(n.ipam_config[0].subnet);
    if (!cidr) throw engineError("invalid CIDR address: " + n.ipam_config[0].subnet);
    for (const auto& [id, other] : networks)
      if (other.subnet != 0 && overlaps(*cidr, other.subnet, other.prefix))
        throw engineError("Pool overlaps with other one on this address space");
    n.subnet = cidr->address;
    n.prefix = cidr->prefix;
    n.user_subnet = true;
  } else {
    std::tie(n.subnet, n.prefix) = allocateSubnet();
    n.ipam_config = {
        IpamPoolSpec{formatIpv4(n.subnet) + "/" + std::to_string(n.prefix), "", "", {}}};
  }
  auto& pool = n.ipam_config[0];
  if (pool.gateway.empty()) pool.gateway = formatIpv4(n.subnet + 1);
  if (const auto gateway = parseIpv4(pool.gateway)) n.used.insert(*gateway);
  n.id = newId("network", n.name);
  const std::string id = n.id;
  auto& stored = networks.emplace(id, std::move(n)).first->second;
  networkEvent(stored, "create");
  return id;
}

std::vector<std::string> Daemon::aliasesFor(const ContainerRecord& c, const NetworkRecord& n,
                                            const EndpointSettings& config) const {
  std::vector<std::string> aliases = config.aliases;
  if (!userDefined(n)) return aliases;
  // daemon/container_operations.go updateNetworkConfig: the short id and the hostname.
  for (const std::string& extra : {c.id.substr(0, 12), c.config.hostname})
    if (std::find(aliases.begin(), aliases.end(), extra) == aliases.end()) aliases.push_back(extra);
  return aliases;
}

void Daemon::connectNetwork(NetworkRecord& n, ContainerRecord& c, const EndpointSettings& config) {
  if (c.state == RunState::Dead)
    throw engineError(
        "Container " + c.id +
        " is marked for removal and cannot be connected or disconnected to the network");
  if (c.host_config.network_mode.rfind("container:", 0) == 0)
    throw engineError(
        "container sharing network namespace with another container or host "
        "cannot be connected to any other network");
  if (n.driver == "host" || c.host_config.network_mode == "host")
    throw engineError(
        "container cannot be disconnected from host network or connected to host network");
  validateEndpoint(n, config);
  const bool active = c.running() && c.state != RunState::Restarting;
  if (!active) {
    for (const auto& [name, ep] : c.networks)
      if (name == n.name) return;  // dockerd keeps the first config: no error, no change
    EndpointRecord ep{config, n.id, "", "", aliasesFor(c, n, config)};
    c.networks[n.name] = std::move(ep);
    return;
  }
  if (n.active.count(c.id))
    throw conflict("endpoint with name " + c.name + " already exists in network " + n.name);
  EndpointRecord ep{config, n.id, "", "", {}};
  allocateEndpoint(n, c, ep);
  c.networks[n.name] = std::move(ep);
  networkEvent(n, "connect", {{"container", c.id}});
  c.changed.notify();
}

// daemon/container_operations.go DisconnectFromNetwork: a stopped container (or `force`)
// only loses the configuration, which works even when the network is gone.
void Daemon::disconnectNetwork(const std::string& ref, ContainerRecord& c, bool force) {
  NetworkRecord* n = findNetwork(ref);
  const bool active = n && n->active.count(c.id) > 0;
  if (!active && (!c.running() || (!n && force))) {
    const auto it = c.networks.find(n ? n->name : ref);
    if (it == c.networks.end())
      throw engineError("container " + c.id + " is not connected to the network " + ref);
    c.networks.erase(it);
    if (n) networkEvent(*n, "disconnect", {{"container", c.id}});
    c.changed.notify();
    return;
  }
  if (!n) throw Error(ErrorKind::NotFound, "network " + ref + " not found");
  if (c.host_config.network_mode == "host" && n->driver == "host")
    throw engineError(
        "container cannot be disconnected from host network or connected to host network");
  if (!active) throw engineError("container " + c.id + " is not connected to network " + n->name);
  if (const auto ip = parseIpv4(n->active[c.id])) n->used.erase(*ip);
  n->active.erase(c.id);
  c.networks.erase(n->name);
  networkEvent(*n, "disconnect", {{"container", c.id}});
  c.changed.notify();
}

void Daemon::removeNetwork(NetworkRecord& n) {
  if (n.predefined) throw conflict(n.name + " is a pre-defined network and cannot be removed");
  if (!n.active.empty())
    throw conflict("error while removing network: network " + n.name + " id " + n.id +
                   " has active endpoints");
  const NetworkRecord gone = n;
  networks.erase(gone.id);
  networkEvent(gone, "destroy");
}

void Daemon::checkNetworking(ContainerRecord& c) {
  const std::string& mode = c.host_config.network_mode;
  if (mode.rfind("container:", 0) == 0) {
    const std::string ref = mode.substr(10);
    auto target = requireContainer(ref);
    if (target.get() == &c) throw engineError("cannot join own network");
    if (target->state != RunState::Running && target->state != RunState::Paused)
      throw conflict("cannot join network of a non running container: " + ref);
  }
  for (const auto& [name, ep] : c.networks) {
    NetworkRecord* n = findNetwork(ep.network_id.empty() ? name : ep.network_id);
    if (!n) throw Error(ErrorKind::NotFound, "network " + name + " not found");
    validateEndpoint(*n, ep.config);
    if (ep.config.ipv4_address.empty()) continue;
    const auto ip = parseIpv4(ep.config.ipv4_address);
    if (!ip || ((*ip & maskOf(n->prefix)) != n->subnet))
      throw engineError("no available IPv4 addresses on this network's address pools: " + n->name +
                        " (" + n->id + ")");
    if (n->used.count(*ip)) throw engineError("Address already in use");
  }
  checkPorts(c);
}

void Daemon::allocateEndpoint(NetworkRecord& n, ContainerRecord& c, EndpointRecord& ep) {
  ep.network_id = n.id;
  ep.aliases = aliasesFor(c, n, ep.config);
  if (n.subnet == 0) {  // host and none: an endpoint without an address
    n.active[c.id] = "";
    return;
  }
  uint32_t ip = 0;
  if (const auto wanted = parseIpv4(ep.config.ipv4_address)) {
    ip = *wanted;
  } else {
    const uint32_t last = n.subnet | ~maskOf(n.prefix);
    for (uint32_t candidate = n.subnet + 2; candidate < last; ++candidate)
      if (!n.used.count(candidate)) {
        ip = candidate;
        break;
      }
    if (ip == 0) throw engineError("no available IPv4 addresses on this network's address pools");
  }
  n.used.insert(ip);
  n.active[c.id] = formatIpv4(ip);
  ep.ip = formatIpv4(ip);
  ep.mac = macFor(ip);
}

void Daemon::activateNetworking(ContainerRecord& c) {
  for (auto& [name, ep] : c.networks) {
    NetworkRecord& n = requireNetwork(ep.network_id.empty() ? name : ep.network_id);
    allocateEndpoint(n, c, ep);
    networkEvent(n, "connect", {{"container", c.id}});
  }
  bindPorts(c);
}

void Daemon::releaseNetworking(ContainerRecord& c) {
  for (auto& [name, ep] : c.networks) {
    NetworkRecord* n = findNetwork(ep.network_id);
    ep.ip.clear();
    ep.mac.clear();
    if (!n || !n->active.count(c.id)) continue;
    if (const auto ip = parseIpv4(n->active[c.id])) n->used.erase(*ip);
    n->active.erase(c.id);
    networkEvent(*n, "disconnect", {{"container", c.id}});
  }
  c.ports.clear();
}

}  // namespace stack::runtime::fake::detail
