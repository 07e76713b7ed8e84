#pragma once

// stack::testing::ComposeFixture: a compose project as an integration-test fixture.
//
//   stack::testing::ComposeFixture db({"tests/compose.yaml"});
//   db.waitFor("redis", stack::Wait::port(6379)).start();
//   auto [host, port] = db.endpoint("redis", 6379);   // ephemeral `ports: ["6379"]`
//
// Contract:
// - Each instance has its own project name ("fx-<pid>-<n>-<random>"), so fixtures of one
//   file run in parallel (threads, `ctest -j`) on one engine without collisions.
// - start() loads the files (Config/ConfigMissing errors before anything starts), checks
//   that every waited-for service exists (Usage), removes expired leftovers of earlier
//   runs, brings the project up (building images when needed) with --wait, then runs the
//   per-service waits in parallel. When anything fails it tears the project down before
//   the error leaves start() (unless keepOnFailure()), and the error's what() names the
//   service and carries its last log lines.
// - The destructor (or stop()) runs `down -v --remove-orphans`, also when the test failed
//   or threw; it never throws. A reused fixture is left running for the next run.
// - Leftovers of a killed test process (SIGKILL) are found by their labels:
//   dev.stack.fixture.owner=<host>/<pid>/<process start time> and
//   dev.stack.fixture.lease=<unix time>. The next fixture start removes a project whose
//   owner process is gone (same host) or whose lease has expired (any host).
// - reuse(true), or STACK_FIXTURE_REUSE=1 in the environment: the project name comes from
//   the config hash, the project is not torn down, and a later start() with the same
//   files finds it running and only runs the waits. Reused projects are never reaped.
//
// A fixture is used from one thread at a time; distinct fixtures from distinct threads.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "stack/project.hpp"
#include "stack/wait.hpp"

namespace stack::testing {

class ComposeFixture {
 public:
  explicit ComposeFixture(std::vector<std::string> files);
  ComposeFixture(ComposeFixture&&) noexcept;
  ComposeFixture& operator=(ComposeFixture&&) noexcept;
  ~ComposeFixture();

  // --- Options (before start()) -----------------------------------------------------
  ComposeFixture& profiles(std::vector<std::string> names);
  ComposeFixture& env(const std::string& key, const std::string& value);
  ComposeFixture& projectDirectory(std::string directory);
  // The deadline of `up --wait` (default 60 s); each Wait has its own.
  ComposeFixture& timeout(std::chrono::milliseconds value);
  // Adds a readiness condition checked after `up`; several run in parallel.
  ComposeFixture& waitFor(const std::string& service, Wait wait);
  ComposeFixture& reuse(bool on = true);
  // Leave the project running after a failed start() (to look at it); default off.
  ComposeFixture& keepOnFailure(bool on = true);
  // How long leftovers of this fixture may outlive it on another host (default 1 h).
  ComposeFixture& lease(std::chrono::seconds value);

  void start();
  // Tears down now (down -v), unless reused; idempotent. Throws on engine errors.
  void stop();

  // --- While started ----------------------------------------------------------------
  const std::string& projectName() const;
  bool reused() const;  // start() found the project already running
  // Host and published port of a container port (see Project::endpoint).
  Endpoint endpoint(const std::string& service, uint16_t container_port) const;
  // "http://host:port/path" for endpoint(service, container_port).
  std::string url(const std::string& service, uint16_t container_port,
                  const std::string& path = "/") const;
  ExecResult exec(const std::string& service, const std::vector<std::string>& argv);
  // The service's output so far, one line per entry.
  std::vector<std::string> logs(const std::string& service) const;
  // The underlying project, for everything else (ps, more waits, ...).
  Project& project();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// Removes fixture projects whose owner process is gone or whose lease has expired;
// returns their names. start() calls it; `stack` tooling may too. Never throws.
std::vector<std::string> reapExpiredFixtures();

}  // namespace stack::testing
