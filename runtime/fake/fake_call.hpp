#pragma once

// Internal to runtime/fake: the gate every Engine call of the FakeEngine passes through
// (call log, availability, latency, scripted faults) and the waits that stop and wait
// share.

#include <memory>
#include <optional>
#include <string>

#include "runtime/fake/fake_daemon.hpp"

namespace stack::runtime::fake::detail {

// What is left of a call's fault after the gate: an error to raise once the call had its
// effect (Fault::after_effect).
class Call {
 public:
  explicit Call(std::optional<Fault> after = std::nullopt) : after_(std::move(after)) {}
  // Ends the call: throws the after-effect fault, if any.
  void done() const;

 private:
  std::optional<Fault> after_;
};

// Records the call and applies availability, latency and faults. `container` names a
// second subject (connect/disconnect name a network and a container).
Awaitable<Call> enter(std::shared_ptr<Daemon> daemon, Method method, std::string subject,
                      std::string container = {});

Error unavailableError();

// Waits until `c` is no longer running, or `timeout` (model time) passes; true when it
// stopped. Throws EngineUnavailable if the connection drops meanwhile.
Awaitable<bool> waitStopped(std::shared_ptr<Daemon> daemon, std::shared_ptr<ContainerRecord> c,
                            std::optional<nanoseconds> timeout);

// dockerd's containerStop: the stop signal, up to `timeout_seconds` (negative: forever),
// then SIGKILL; emits "stop". Nothing happens when the container is not running.
Awaitable<void> stopContainer(std::shared_ptr<Daemon> daemon, std::shared_ptr<ContainerRecord> c,
                              std::optional<int> timeout_seconds);

}  // namespace stack::runtime::fake::detail
