#pragma once

// Helpers the convergence and engine-settings integration tests share: free host ports,
// a host port held by this process, `docker inspect` as JSON, engine objects a test
// creates outside any project (removed when the test ends, pass or fail), and running
// `stack` until a chosen moment and then killing it with SIGKILL.

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/test_project.hpp"

namespace stack::test {

// A TCP port on 127.0.0.1 that nothing listens on right now. With `count` > 1, the first
// of `count` consecutive such ports.
uint16_t freePort(int count = 1);

// Listens on 127.0.0.1:port for its lifetime: the "other process" holding a host port.
class HeldPort {
 public:
  HeldPort();  // picks a free port
  ~HeldPort();
  HeldPort(const HeldPort&) = delete;
  HeldPort& operator=(const HeldPort&) = delete;
  uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

// `docker inspect <object>` (any kind) as JSON; null when it does not exist.
nlohmann::json inspect(const std::string& object, const std::string& kind = "");

// A network or volume created with the docker CLI for a test (an "external" resource),
// removed when the guard goes out of scope.
class ExternalObject {
 public:
  // kind: "network" or "volume".
  ExternalObject(std::string kind, std::string name);
  ~ExternalObject();
  ExternalObject(const ExternalObject&) = delete;
  ExternalObject& operator=(const ExternalObject&) = delete;
  const std::string& name() const { return name_; }

 private:
  std::string kind_;
  std::string name_;
};

// When to SIGKILL a running `stack`: once its stderr has shown `pattern` `occurrence`
// times (an empty pattern matches at once), plus `delay`.
struct KillPoint {
  std::string pattern;
  int occurrence = 1;
  std::chrono::milliseconds delay{0};
};

struct KilledRun {
  bool killed = false;  // false: stack finished before the kill point
  int exit_code = -1;
  std::string err;  // what it printed before it died
};

// Runs `stack -p <project> <args...>` in the project directory and kills it with
// SIGKILL at the kill point.
KilledRun runAndKill(const TestProject& project, const std::vector<std::string>& args,
                     const KillPoint& point);

// True when `text` contains `needle`.
bool contains(const std::string& text, const std::string& needle);

}  // namespace stack::test
