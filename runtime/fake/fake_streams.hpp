#pragma once

// Internal to runtime/fake: the streams the FakeEngine hands out. They read the model
// directly (a container's log, an exec's output, the event history) through cursors and
// suspend on the model's Signals, so nothing is copied per subscriber and nothing polls.
//
// Every stream ends (next() returns nullopt) after cancel(), after a per-operation
// cancellation of a pending next() (which itself throws Cancelled), or when the engine is
// destroyed. When the engine becomes unavailable, a pending or later next() throws
// EngineUnavailable.

#include <deque>
#include <functional>
#include <memory>
#include <optional>

#include "runtime/fake/fake_daemon.hpp"

namespace stack::runtime::fake::detail {

// What a container output stream delivers (logs and attach share it).
struct OutputPlan {
  std::deque<OutputChunk> backlog;  // delivered first (logs, or attach with logs=1)
  size_t cursor = 0;                // first log entry to follow
  uint64_t follow_run = 0;          // 0: no following; else deliver this run and end with it
  bool only_run = false;            // attach: entries of follow_run only
  bool stdout = true;
  bool stderr = true;
  bool timestamps = false;
  std::optional<Timestamp> until;
  bool stdin = false;  // attach: write() goes to the process
};

// The chunk a log entry becomes for a reader (timestamps prefix the line).
OutputChunk toChunk(const LogEntry& entry, bool timestamps);

std::unique_ptr<AttachedStream> makeContainerStream(std::weak_ptr<Daemon> daemon,
                                                    std::shared_ptr<ContainerRecord> container,
                                                    OutputPlan plan);
std::unique_ptr<AttachedStream> makeExecStream(std::weak_ptr<Daemon> daemon,
                                               std::shared_ptr<ExecRecord> exec, bool detached,
                                               bool stdin);
std::unique_ptr<EventStream> makeEventStream(std::weak_ptr<Daemon> daemon, EventFilter filter,
                                             size_t start, std::optional<Timestamp> until);

// One message of a build, pull or push, reached after `delay` of model time. `action`
// runs when the step is reached (the model changes as the transfer progresses, so a
// transfer the client drops has no further effect, as with dockerd).
struct ProgressStep {
  nanoseconds delay{0};
  ProgressMessage message;
  std::function<void()> action;
};

// After a message with `error`, next() throws `error_kind` (Build for builds).
std::unique_ptr<ProgressStream> makeProgressStream(std::weak_ptr<Daemon> daemon,
                                                   std::vector<ProgressStep> steps,
                                                   ErrorKind error_kind);

// JSON-lines messages as dockerd writes them.
ProgressMessage streamMessage(std::string text);
ProgressMessage statusMessage(std::string status, std::string id = {}, int64_t current = 0,
                              int64_t total = 0);
ProgressMessage auxMessage(std::string image_id);
ProgressMessage errorMessage(std::string error, int code = 0);

// True when the event passes the filter as dockerd's events filter would.
bool eventMatches(const EngineEvent& event, const EventFilter& filter);

}  // namespace stack::runtime::fake::detail
