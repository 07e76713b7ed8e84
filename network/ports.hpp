#pragma once

// Host ports: finding out, before the engine does, that a published port is taken, so
// the error can name the service and the port instead of the engine's generic message.

#include <cstdint>
#include <string>

namespace stack::network {

// True when nothing on this host listens on (host_ip, port) for the protocol ("tcp" or
// "udp"). An empty host_ip means all interfaces. This is a bind() probe on the host,
// which is where the engine's port proxy binds too; it cannot see ports held inside
// other network namespaces.
bool hostPortFree(const std::string& host_ip, uint16_t port, const std::string& protocol);

}  // namespace stack::network
