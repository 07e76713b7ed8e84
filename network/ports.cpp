#include "network/ports.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace stack::network {

bool hostPortFree(const std::string& host_ip, uint16_t port, const std::string& protocol) {
  const bool udp = protocol == "udp";
  const bool v6 = host_ip.find(':') != std::string::npos;
  int fd = ::socket(v6 ? AF_INET6 : AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
  if (fd < 0) return true;  // cannot probe: let the engine decide
  int one = 1;
  // SO_REUSEADDR lets us bind over TIME_WAIT leftovers, as the engine's proxy does.
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  int rc = -1;
  if (v6) {
    sockaddr_in6 addr{};
    addr.sin6_family = AF_INET6;
    addr.sin6_port = htons(port);
    if (::inet_pton(AF_INET6, host_ip.c_str(), &addr.sin6_addr) != 1) addr.sin6_addr = in6addr_any;
    rc = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  } else {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    const std::string ip = host_ip.empty() ? "0.0.0.0" : host_ip;
    if (::inet_pton(AF_INET, ip.c_str(), &addr.sin_addr) != 1) addr.sin_addr.s_addr = INADDR_ANY;
    rc = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  }
  const bool in_use = rc != 0 && errno == EADDRINUSE;
  ::close(fd);
  return !in_use;
}

}  // namespace stack::network
