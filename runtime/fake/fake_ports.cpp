// Published ports. dockerd binds them when the container starts: an empty HostPort gets
// an ephemeral port (the fake counts up from 49153, dockerd's default range start), a
// host port held by another running container (or by a host process, see
// FakeState::reserveHostPort) fails the start with "port is already allocated".
#include "runtime/fake/fake_daemon.hpp"

namespace stack::runtime::fake::detail {
namespace {

struct PortRequest {
  std::string key;  // "80/tcp"
  std::string proto;
  std::string host_ip;  // "0.0.0.0" when empty
  uint16_t first = 0;   // 0: ephemeral
  uint16_t last = 0;
};

bool publishes(const ContainerRecord& c) {
  const std::string& mode = c.host_config.network_mode;
  return mode != "host" && mode != "none" && mode.rfind("container:", 0) != 0;
}

std::string normalisedKey(const std::string& key) {
  return key.find('/') == std::string::npos ? key + "/tcp" : key;
}

std::vector<PortRequest> portRequests(const ContainerRecord& c) {
  std::vector<PortRequest> out;
  for (const auto& [key, bindings] : c.host_config.port_bindings) {
    const std::string normal = normalisedKey(key);
    const auto proto = splitPortProto(normal).second;
    for (const auto& binding : bindings) {
      PortRequest request{normal, proto, binding.host_ip.empty() ? "0.0.0.0" : binding.host_ip, 0,
                          0};
      if (!binding.host_port.empty() && binding.host_port != "0") {
        const auto dash = binding.host_port.find('-');
        request.first = splitPortProto(binding.host_port.substr(0, dash)).first;
        request.last = dash == std::string::npos
                           ? request.first
                           : splitPortProto(binding.host_port.substr(dash + 1)).first;
      }
      out.push_back(request);
    }
  }
  if (c.host_config.publish_all_ports)
    for (const auto& exposed : c.config.exposed_ports) {
      const std::string normal = normalisedKey(exposed);
      bool bound = false;
      for (const auto& request : out) bound = bound || request.key == normal;
      if (!bound) out.push_back({normal, splitPortProto(normal).second, "0.0.0.0", 0, 0});
    }
  return out;
}

bool clash(const HostPortKey& a, const HostPortKey& b) {
  return a.port == b.port && a.proto == b.proto &&
         (a.ip == b.ip || a.ip == "0.0.0.0" || b.ip == "0.0.0.0");
}

// Host ports held now: other running containers' bindings and reserved host ports.
std::vector<HostPortKey> portsInUse(const Daemon& d, const ContainerRecord& self) {
  std::vector<HostPortKey> out(d.reserved_ports.begin(), d.reserved_ports.end());
  for (const auto& [id, c] : d.containers) {
    if (c.get() == &self) continue;
    for (const auto& [key, bindings] : c->ports)
      for (const auto& binding : bindings)
        out.push_back({binding.host_ip, static_cast<uint16_t>(std::stoi(binding.host_port)),
                       splitPortProto(key).second});
  }
  return out;
}

bool portFree(const std::vector<HostPortKey>& used, const HostPortKey& wanted) {
  for (const auto& key : used)
    if (clash(key, wanted)) return false;
  return true;
}

}  // namespace

void Daemon::checkPorts(ContainerRecord& c) {
  if (!publishes(c)) return;
  auto used = portsInUse(*this, c);
  for (const auto& request : portRequests(c)) {
    if (request.first == 0) continue;
    bool found = false;
    for (uint32_t port = request.first; port <= request.last && !found; ++port) {
      const HostPortKey key{request.host_ip, static_cast<uint16_t>(port), request.proto};
      if (portFree(used, key)) {
        used.push_back(key);
        found = true;
      }
    }
    if (!found)
      throw engineError("driver failed programming external connectivity on endpoint " + c.name +
                        " (" + sha256Hex(c.id + "/endpoint") + "): Bind for " + request.host_ip +
                        ":" + std::to_string(request.last) + " failed: port is already allocated");
  }
}

void Daemon::bindPorts(ContainerRecord& c) {
  c.ports.clear();
  if (!publishes(c)) return;
  for (const auto& exposed : c.config.exposed_ports) c.ports[normalisedKey(exposed)];
  auto used = portsInUse(*this, c);
  for (const auto& request : portRequests(c)) {
    uint16_t chosen = 0;
    const uint32_t first = request.first == 0 ? next_ephemeral_port_ : request.first;
    const uint32_t last = request.first == 0 ? 65535 : request.last;
    for (uint32_t port = first; port <= last && chosen == 0; ++port)
      if (portFree(used, {request.host_ip, static_cast<uint16_t>(port), request.proto}))
        chosen = static_cast<uint16_t>(port);
    if (chosen == 0) throw engineError("no free host port for " + request.key);
    if (request.first == 0)
      next_ephemeral_port_ = static_cast<uint16_t>(chosen == 65535 ? 49153 : chosen + 1);
    used.push_back({request.host_ip, chosen, request.proto});
    c.ports[request.key].push_back(PortBinding{request.host_ip, std::to_string(chosen)});
  }
}

}  // namespace stack::runtime::fake::detail
