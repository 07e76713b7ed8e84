#include "runtime/fake/fake_call.hpp"

#include <boost/system/system_error.hpp>
#include <csignal>

#include "core/log.hpp"

namespace stack::runtime::fake::detail {

Error unavailableError() {
  return Error(ErrorKind::EngineUnavailable,
               "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the "
               "docker daemon running?");
}

void Call::done() const {
  if (after_ && after_->error) throw Error(*after_->error, after_->message);
}

Awaitable<Call> enter(std::shared_ptr<Daemon> d, Method method, std::string subject,
                      std::string container) {
  std::vector<std::string> subjects = d->subjectsOf(method, subject);
  std::string name = d->nameOf(method, subject);
  if (!container.empty()) {
    const auto more = d->subjectsOf(Method::InspectContainer, container);
    subjects.insert(subjects.end(), more.begin(), more.end());
    name += " " + d->nameOf(Method::InspectContainer, container);
  }
  d->calls.record(CallRecord{method, subject, name, d->clock.now()});
  stack::log::get("runtime")->debug("fake engine: {} {}", methodName(method), name);
  if (d->faults.unavailable()) throw unavailableError();
  const std::optional<Fault> fault = d->faults.take(method, subjects);
  if (d->call_latency.count() > 0) co_await d->clock.sleep(d->call_latency);
  if (fault && fault->delay.count() > 0) co_await d->clock.sleep(fault->delay);
  if (d->faults.unavailable() || d->shutDown()) throw unavailableError();
  if (fault && fault->error && !fault->after_effect) throw Error(*fault->error, fault->message);
  co_return Call(fault && fault->after_effect ? fault : std::nullopt);
}

Awaitable<bool> waitStopped(std::shared_ptr<Daemon> d, std::shared_ptr<ContainerRecord> c,
                            std::optional<nanoseconds> timeout) {
  const uint64_t epoch = d->connectionEpoch();
  const Timestamp deadline = timeout ? d->clock.now() + *timeout : Timestamp::max();
  std::optional<FakeClock::TimerId> timer;
  if (timeout)
    timer = d->clock.scheduleAt(deadline, [weak = std::weak_ptr<ContainerRecord>(c)] {
      if (auto live = weak.lock()) live->changed.notify();
    });
  struct CancelTimer {
    Daemon& d;
    std::optional<FakeClock::TimerId> id;
    ~CancelTimer() {
      if (id) d.clock.cancel(*id);
    }
  } guard{*d, timer};
  for (;;) {
    if (!c->running() || c->removed) co_return true;
    if (d->clock.now() >= deadline) co_return false;
    if (d->connectionEpoch() != epoch || d->shutDown()) throw unavailableError();
    try {
      co_await c->changed.wait();
    } catch (const boost::system::system_error&) {
      throw cancelledError();  // cancelled before the wait could start
    }
  }
}

Awaitable<void> stopContainer(std::shared_ptr<Daemon> d, std::shared_ptr<ContainerRecord> c,
                              std::optional<int> timeout_seconds) {
  if (!c->running()) co_return;  // 304
  const int seconds = timeout_seconds.value_or(c->config.stop_timeout.value_or(10));
  if (d->sendStopSignal(*c)) {
    std::optional<nanoseconds> limit;
    if (seconds >= 0) limit = std::chrono::seconds(seconds);
    if (!co_await waitStopped(d, c, limit) && c->running()) {
      // "Container failed to exit within N of signal 15 - using the force"
      d->killContainer(*c, "SIGKILL");
      co_await waitStopped(d, c, std::nullopt);
    }
  }
  if (!c->removed) d->containerEvent(*c, "stop");
}

}  // namespace stack::runtime::fake::detail
