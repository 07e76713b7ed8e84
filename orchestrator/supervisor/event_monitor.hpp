#pragma once

// Keeps a ProjectState current. It follows the engine's events stream, filtered by the
// project label, from before it takes its first snapshot (list + inspect), so no change
// falls between the two. When the stream drops it reconnects and resumes from the last
// event's time. When the events endpoint keeps failing (some engines lack it), it falls
// back to polling list + inspect.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "orchestrator/supervisor/project_state.hpp"
#include "runtime/engine.hpp"

namespace stack::orchestrator::supervisor {

struct EventMonitorOptions {
  std::chrono::milliseconds poll_interval{250};  // in polling mode
  int failures_before_polling = 3;               // consecutive stream failures
};

class EventMonitor {
 public:
  EventMonitor(runtime::Engine& engine, ProjectState& state, EventMonitorOptions options = {});

  // Runs until cancelled (race it against something, or cancel its coroutine).
  boost::asio::awaitable<void> run();
  // Returns once the first snapshot has been applied.
  boost::asio::awaitable<void> ready();

  // Inspects these containers now, so a wait starts from their current state rather than
  // from events still in flight (a start the executor just issued, say).
  boost::asio::awaitable<void> refresh(std::vector<std::string> ids);

  bool polling() const { return polling_; }

 private:
  boost::asio::awaitable<void> follow();
  boost::asio::awaitable<void> snapshot();
  boost::asio::awaitable<void> inspectInto(std::string id);
  boost::asio::awaitable<void> poll();

  runtime::Engine& engine_;
  ProjectState& state_;
  EventMonitorOptions options_;
  bool ready_ = false;
  bool polling_ = false;
};

}  // namespace stack::orchestrator::supervisor
