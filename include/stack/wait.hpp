#pragma once

// What "ready" means for one service (Project::waitFor, ComposeFixture::waitFor). Each
// wait has a deadline; a missed one throws stack::Error kind Timeout naming the service
// and carrying its last log lines.

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>

namespace stack {

struct Wait {
  enum class Kind {
    Healthy,  // the supervisor's readiness: healthy (healthcheck), or running; exited 0 counts
    Log,      // a log line matches `pattern` (ECMAScript regex, searched in each line)
    Port,     // the published host port of `container_port` accepts a TCP connection
    Http,     // GET http://host:published(container_port)/path answers 2xx
  };

  Kind kind = Kind::Healthy;
  std::string pattern;
  uint16_t container_port = 0;
  std::string path = "/";
  std::chrono::milliseconds deadline{std::chrono::seconds(60)};
  std::chrono::milliseconds poll{std::chrono::milliseconds(100)};

  static Wait healthy() { return Wait{}; }
  static Wait log(std::string regex) {
    Wait wait;
    wait.kind = Kind::Log;
    wait.pattern = std::move(regex);
    return wait;
  }
  static Wait port(uint16_t container_port) {
    Wait wait;
    wait.kind = Kind::Port;
    wait.container_port = container_port;
    return wait;
  }
  static Wait http(uint16_t container_port, std::string path = "/") {
    Wait wait;
    wait.kind = Kind::Http;
    wait.container_port = container_port;
    wait.path = std::move(path);
    return wait;
  }
  Wait& timeout(std::chrono::milliseconds value) {
    deadline = value;
    return *this;
  }
};

}  // namespace stack
