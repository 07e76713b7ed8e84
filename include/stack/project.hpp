#pragma once

// The stack library: compose projects from C++ programs, without the CLI. A Project is a
// loaded compose project bound to the engine of DOCKER_HOST (as `stack` resolves it). Every
// call is synchronous: it runs the orchestrator on a private event loop and returns when
// the operation is done, so a Project may be used from any one thread at a time (distinct
// Projects from distinct threads at once). Programs that run a Boost.Asio loop can await
// the same calls instead (stack/asio.hpp). Failures throw stack::Error (stack/error.hpp)
// with a kind and a message naming the file, service or container at fault.
//
// Installed with the package (find_package(stack) -> stack::stack). This header and the
// ones it includes use the standard library only.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stack/error.hpp"
#include "stack/wait.hpp"

namespace stack {

namespace library {
struct ProjectAccess;  // the awaitable API's way to the Impl (library/)
}

using StringMap = std::map<std::string, std::string>;

// How a project is found and named, as the CLI's global flags do.
struct ProjectOptions {
  std::vector<std::string> files;      // -f; empty: discovery from the current directory
  std::string project_name;            // -p; empty: COMPOSE_PROJECT_NAME, `name:`, directory
  std::vector<std::string> profiles;   // --profile (COMPOSE_PROFILES is added)
  std::vector<std::string> env_files;  // --env-file
  std::string project_directory;       // --project-directory
  // Variables that override the process environment for interpolation and the .env file.
  StringMap environment;
  // Labels added to every container of the project (beside the compose labels). They are
  // part of each service's config hash.
  StringMap labels;
};

struct UpOptions {
  std::vector<std::string> services;  // empty: every enabled service
  bool build = false;                 // --build: build images whose context changed
  bool wait = true;                   // --wait: return once the services are ready
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};  // the --wait deadline
  bool remove_orphans = false;
  bool force_recreate = false;
};

struct DownOptions {
  bool volumes = false;  // -v: named (not external) and anonymous volumes too
  bool remove_orphans = false;
  std::optional<int> timeout_seconds;  // stop timeout; empty: the services' own
};

// A host binding of a container port.
struct PortBinding {
  std::string host_ip;  // as the engine reports it: "0.0.0.0", "::", "127.0.0.1"
  uint16_t host_port = 0;
  uint16_t container_port = 0;
  std::string protocol;  // tcp | udp | sctp
};

// Where a client reaches a published container port from this host.
struct Endpoint {
  std::string host;  // "127.0.0.1", or the engine's host when DOCKER_HOST is tcp://
  uint16_t port = 0;
};

// One container of the project (`ps`).
struct ContainerInfo {
  std::string id;
  std::string name;  // "demo-web-1"
  std::string service;
  int number = 0;      // the container-number label
  std::string state;   // running, exited, ...
  std::string status;  // "Up 3 seconds (healthy)"
  std::vector<PortBinding> ports;
  StringMap labels;
};

struct ExecOptions {
  int index = 0;                 // that container-number; 0: the lowest
  std::vector<std::string> env;  // KEY=VALUE
  std::string user;
  std::string working_dir;
};

struct ExecResult {
  int exit_code = 0;
  std::string stdout_text;
  std::string stderr_text;
  std::string output() const { return stdout_text + stderr_text; }
};

struct LogLine {
  std::string service;
  std::string container;
  bool stderr = false;
  std::string text;  // without the line end
};

struct LogsOptions {
  std::string tail = "all";  // lines per container
  bool timestamps = false;
};

// A project found on the engine by its labels (see findProjects).
struct ProjectInfo {
  std::string name;
  StringMap labels;  // of its lowest-numbered container
  int containers = 0;
};

class Project {
 public:
  // Loads and resolves the compose files. Throws Error kind ConfigMissing when no file is
  // found, Config (with file:line:col) for an invalid file, Io when one cannot be read.
  // Does not contact the engine.
  static Project load(const ProjectOptions& options);

  Project(Project&&) noexcept;
  Project& operator=(Project&&) noexcept;
  ~Project();

  const std::string& name() const;
  // The enabled services, sorted.
  std::vector<std::string> services() const;
  // One hash of every service's config hash (com.docker.compose.config-hash): equal
  // hashes mean `up` has nothing to recreate.
  std::string configHash() const;

  // Converges the project (create, recreate, start); with options.wait, returns once
  // each service is ready (running, healthy when it has a healthcheck, exited 0 for
  // one-shot dependencies) or throws Dependency/Timeout naming the service with its last
  // log lines. EngineUnavailable when no engine answers.
  void up(const UpOptions& options = {});
  // Removes the containers and networks (and volumes with options.volumes).
  void down(const DownOptions& options = {});
  // The project's containers (`all`: stopped ones too), sorted by name.
  std::vector<ContainerInfo> ps(bool all = false) const;
  // Runs argv in the running container of `service`, without a TTY or stdin. Throws
  // NotFound when the service has no running container.
  ExecResult exec(const std::string& service, const std::vector<std::string>& argv,
                  const ExecOptions& options = {});
  // The output so far of the service's containers (every service when empty).
  std::vector<LogLine> logs(const std::string& service = {}, const LogsOptions& options = {}) const;
  // The host bindings of a container port of the service's container (`index` 0: the
  // lowest numbered). Throws NotFound naming the service and port when it is not published.
  std::vector<PortBinding> port(const std::string& service, uint16_t container_port,
                                const std::string& protocol = "tcp", int index = 0) const;
  // The address to reach a published container port at: the 127.0.0.1 (or 0.0.0.0)
  // binding's port when there is one (an ephemeral port can differ between the IPv4 and
  // IPv6 bindings, moby#42442), never 0.0.0.0 or :: as the host. Throws like port().
  Endpoint endpoint(const std::string& service, uint16_t container_port,
                    const std::string& protocol = "tcp", int index = 0) const;
  // Waits until `wait` holds for `service` (see stack/wait.hpp), or throws Timeout (or
  // Dependency when the container exits) naming the service with its last log lines.
  // A service not in the project is a Usage error before anything is waited for.
  void waitFor(const std::string& service, const Wait& wait);

  struct Impl;

 private:
  friend struct library::ProjectAccess;
  explicit Project(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Projects on the engine with containers (stopped ones too) carrying `label` ("key" or
// "key=value"), sorted by name.
std::vector<ProjectInfo> findProjects(const std::string& label);
// Removes a project known only by its name, from its labels (as `stack down -p NAME`):
// containers first, then networks and, with `volumes`, volumes.
void removeProject(const std::string& name, bool volumes);

}  // namespace stack
