#pragma once

// Swarm for integration tests, on the one engine every helper's tests share.
//
// SwarmGuard makes the engine a single-node swarm manager (`docker swarm init
// --advertise-addr 127.0.0.1`) when it is in no swarm, and registers the running test as
// a user of it. The check and the init are serialized by a lock file, so parallel ctest
// processes init once. Nothing leaves the swarm while a test runs: only
// leaveSwarmIfUnused() does (the ctest cleanup fixture `swarm: cleanup`), and only when
// the tests' setup joined the swarm (a marker file says so) and no registered test
// process is alive. A swarm that was there before the tests is never left.
//
// SwarmStackCleanup removes everything labelled with a stack's namespace when it goes out
// of scope, pass or fail: services first, then, once their tasks are gone, secrets,
// configs, networks and volumes (bounded waits).

#include <optional>
#include <string>

namespace stack::test {

class SwarmGuard {
 public:
  SwarmGuard();  // fails the current test with the reason when no swarm can be had
  ~SwarmGuard();
  SwarmGuard(const SwarmGuard&) = delete;
  SwarmGuard& operator=(const SwarmGuard&) = delete;

 private:
  std::string user_file_;
};

// "inactive", "active", ... as `docker info` reports LocalNodeState.
std::string swarmState();

// Returns what it did ("left the swarm the tests joined", "kept: ...").
std::string leaveSwarmIfUnused();

// Holds the swarm lock for its lifetime (for a check that must see a stable state).
class SwarmLock {
 public:
  SwarmLock();
  ~SwarmLock();
  SwarmLock(const SwarmLock&) = delete;
  SwarmLock& operator=(const SwarmLock&) = delete;
  // True when no registered test process is alive (stale registrations are dropped).
  bool noUsers() const;

 private:
  int fd_ = -1;
};

// GET http://127.0.0.1:<port><path> (no proxy, 3 s at most): the body on HTTP 200, else
// std::nullopt. `attempts` tries, 200 ms apart, until one answers 200.
std::optional<std::string> httpGet(int port, const std::string& path, int attempts = 1);

class SwarmStackCleanup {
 public:
  explicit SwarmStackCleanup(std::string stack) : stack_(std::move(stack)) {}
  ~SwarmStackCleanup();
  SwarmStackCleanup(const SwarmStackCleanup&) = delete;
  SwarmStackCleanup& operator=(const SwarmStackCleanup&) = delete;

 private:
  std::string stack_;
};

}  // namespace stack::test
