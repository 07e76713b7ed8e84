#pragma once

// What `stack exec`, `stack run` and `stack wait` ask of the ProjectController. The CLI
// fills these from its flags (docker compose's flags of the same names).

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "orchestrator/compose/model.hpp"
#include "runtime/engine_types.hpp"

namespace stack::orchestrator::oneoff {

// Completes at the next user interrupt (Ctrl-C, SIGTERM).
using InterruptWait = std::function<boost::asio::awaitable<void>()>;

struct ExecRequest {
  std::string service;
  int index = 0;                     // --index: that container-number; 0: the lowest
  std::vector<std::string> command;  // not empty
  std::vector<std::string> env;      // -e, as KEY=VALUE (or KEY, which unsets)
  std::string user;                  // -u
  std::string working_dir;           // -w
  bool privileged = false;           // --privileged
  bool tty = false;                  // a pseudo-TTY (the CLI decides: not -T, and terminals)
  bool interactive = true;           // forward stdin
  bool detach = false;               // -d: start it and return
  InterruptWait interrupted;         // unset: never
};

struct RunRequest {
  std::string service;
  std::optional<std::vector<std::string>> command;     // nullopt: the service's
  std::optional<std::vector<std::string>> entrypoint;  // --entrypoint, split into words
  std::vector<std::string> env;                        // -e KEY=VALUE (unresolved KEY: dropped)
  std::map<std::string, std::string> labels;           // -l
  std::string name;                                    // --name; empty: generated
  std::string user;                                    // -u
  std::string working_dir;                             // -w
  std::vector<compose::PortConfig> publish;            // -p
  std::vector<compose::ServiceVolume> volumes;         // -v
  bool service_ports = false;  // -P: publish the service's ports (else none but -p)
  bool use_aliases = false;    // --use-aliases: the service's network aliases too
  bool remove = false;         // --rm
  bool detach = false;         // -d
  bool tty = false;            // a pseudo-TTY (the CLI decides: not -T, and terminals)
  bool interactive = true;     // keep stdin open and forward it
  bool no_deps = false;        // --no-deps
  InterruptWait interrupted;   // unset: never
  // Called once the one-off container exists, before it starts: the CLI releases the
  // project lock here, so a long `run` does not hold up other commands.
  std::function<void()> created;
};

struct RunResult {
  int exit_code = 0;  // the container's, or 130 after an interrupt; 0 when detached
  std::string container_id;
  std::string container_name;
};

struct WaitRequest {
  std::set<std::string> services;  // at least one
  // --down-project: return at the first exit instead of waiting for every container.
  bool first_only = false;
  // Called as each container stops, with its exit code.
  std::function<void(const runtime::ContainerSummary& container, int exit_code)> exited;
};

}  // namespace stack::orchestrator::oneoff
