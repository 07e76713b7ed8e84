#include "orchestrator/supervisor/event_monitor.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/error.hpp"
#include "core/log.hpp"
#include "orchestrator/compose/labels.hpp"

namespace stack::orchestrator::supervisor {
namespace asio = boost::asio;

namespace {

asio::awaitable<void> sleepFor(std::chrono::milliseconds duration) {
  asio::steady_timer timer(co_await asio::this_coro::executor, duration);
  co_await timer.async_wait(asio::use_awaitable);
}

}  // namespace

EventMonitor::EventMonitor(runtime::Engine& engine, ProjectState& state,
                           EventMonitorOptions options)
    : engine_(engine), state_(state), options_(options) {}

asio::awaitable<void> EventMonitor::ready() {
  while (!ready_) co_await state_.changed().wait();
}

asio::awaitable<void> EventMonitor::inspectInto(std::string id) {
  try {
    auto details = co_await engine_.inspectContainer(id);
    state_.applyInspect(details);
  } catch (const Error& error) {
    if (error.kind() == ErrorKind::Cancelled) throw;
    // Removed in the meantime: its destroy event follows.
    if (error.kind() != ErrorKind::NotFound) throw;
  }
}

asio::awaitable<void> EventMonitor::refresh(std::vector<std::string> ids) {
  for (const auto& id : ids) co_await inspectInto(id);
}

asio::awaitable<void> EventMonitor::snapshot() {
  runtime::ListFilter filter;
  filter.labels = {compose::labels::filter(compose::labels::kProject, state_.project())};
  auto containers = co_await engine_.listContainers(filter);
  for (const auto& container : containers) co_await inspectInto(container.id);
  ready_ = true;
  state_.changed().notify();
}

asio::awaitable<void> EventMonitor::follow() {
  runtime::EventFilter filter;
  filter.types = {"container"};
  filter.labels = {compose::labels::filter(compose::labels::kProject, state_.project())};
  filter.since = state_.resumeSince();
  auto stream = co_await engine_.events(filter);
  // The subscription is in place before the snapshot, so nothing falls in between.
  if (!ready_) co_await snapshot();
  while (auto event = co_await stream->next()) {
    if (state_.applyEvent(*event)) co_await inspectInto(event->actor_id);
  }
}

asio::awaitable<void> EventMonitor::poll() {
  polling_ = true;
  log::get("supervisor")
      ->warn("the engine's events are unavailable; polling every {} ms",
             options_.poll_interval.count());
  while (true) {
    co_await snapshot();
    co_await sleepFor(options_.poll_interval);
  }
}

asio::awaitable<void> EventMonitor::run() {
  int failures = 0;
  while (true) {
    bool failed = false;
    try {
      co_await follow();
      failures = 0;  // the engine closed a healthy stream: reconnect at once
      log::get("supervisor")
          ->debug("events stream ended; reconnecting since {}", state_.resumeSince());
    } catch (const Error& error) {
      if (error.kind() == ErrorKind::Cancelled) throw;
      log::get("supervisor")->debug("events stream failed: {}", error.what());
      failed = true;
    }
    if (!failed) continue;
    if (++failures >= options_.failures_before_polling) co_await poll();
    co_await sleepFor(std::chrono::milliseconds(100 << failures));
  }
}

}  // namespace stack::orchestrator::supervisor
