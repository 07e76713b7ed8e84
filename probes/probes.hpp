#pragma once

// Host-side readiness probes: a TCP connect, or an HTTP GET, to a port a container
// publishes. They only ever reach 127.0.0.1, by construction: stack probes what it
// published on this host, never another address.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <string>

namespace stack::probes {

struct ProbeResult {
  bool ready = false;
  std::string detail;  // "connected", "HTTP 200", or why it failed
};

// Connects to 127.0.0.1:port. Ready when the connection is accepted within `timeout`.
boost::asio::awaitable<ProbeResult> probeTcp(uint16_t port, std::chrono::milliseconds timeout);

// GET http://127.0.0.1:port/path. Ready when the status is `expect_status`, or any 2xx
// when it is 0.
boost::asio::awaitable<ProbeResult> probeHttp(uint16_t port, std::string path, int expect_status,
                                              std::chrono::milliseconds timeout);

}  // namespace stack::probes
