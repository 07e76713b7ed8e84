#pragma once

// What the supervisor knows about each container of one project, kept current from the
// engine's events (event_monitor.hpp), inspect snapshots and stack's own readiness probes.
// Every change wakes the coroutines waiting on changed(), which re-check their condition.

#include <boost/asio/any_io_executor.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/async.hpp"
#include "runtime/engine_types.hpp"
#include "runtime/stream.hpp"

namespace stack::orchestrator::supervisor {

enum class Health { None, Starting, Healthy, Unhealthy };

const char* healthName(Health health);

struct ContainerStatus {
  std::string id;
  std::string name;
  std::string service;
  int number = 0;
  bool oneoff = false;
  std::string state = "created";         // created|running|paused|restarting|exited|dead|removed
  bool inspected = false;                // inspected since its last create or start
  bool has_healthcheck = false;          // known once inspected
  std::vector<std::string> health_test;  // the effective test (image's or the service's)
  Health health = Health::None;
  std::optional<int> exit_code;  // of the last exit
  int starts = 0;                // "start" events seen; a restart increments it
  std::string started_at;        // RFC 3339, from the last inspect
  int restart_count = 0;         // restarts by the restart policy, from the last inspect
  std::string last_health_output;
  // A readiness probe run by stack (exec of the healthcheck test, or a host probe)
  // succeeded since the container last started.
  bool probed_ready = false;
  std::string last_probe_output;
  int failed_probes = 0;  // stack's probes that failed since the container last started
};

class ProjectState {
 public:
  ProjectState(const boost::asio::any_io_executor& executor, std::string project);

  const std::string& project() const { return project_; }

  // Applies one engine event. Events for containers of other projects are ignored.
  // Returns true when the container needs an inspect to fill in what events do not carry
  // (healthcheck presence after a create or start).
  bool applyEvent(const runtime::EngineEvent& event);
  // Applies an authoritative inspect snapshot of one container.
  void applyInspect(const runtime::ContainerDetails& details);
  // Records a readiness probe result for a container (by id).
  void applyProbe(const std::string& id, bool ready, const std::string& output);

  // The service's non-one-off containers that exist (not removed), by number.
  std::vector<const ContainerStatus*> serviceContainers(const std::string& service) const;
  const ContainerStatus* find(const std::string& id) const;

  // Wakes every waiter on each change.
  Signal& changed() { return changed_; }
  // The time of the last event applied, as "seconds.nanoseconds", for resuming a stream.
  std::string resumeSince() const;

 private:
  ContainerStatus& entry(const std::string& id);

  std::string project_;
  std::map<std::string, ContainerStatus> containers_;  // by id
  int64_t last_event_nano_ = 0;
  Signal changed_;
};

}  // namespace stack::orchestrator::supervisor
