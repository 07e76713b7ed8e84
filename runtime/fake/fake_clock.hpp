#pragma once

// The FakeEngine's clock. Every duration the fake deals with (scripted process run times,
// probe intervals, stop timeouts, injected delays, event and log timestamps) is *model
// time*, in std::chrono units. The clock maps model time onto the io_context in one of two
// ways:
//
//   Scaled (default)  model time runs `speed` times faster than real time, on the
//                     io_context's steady_timer: with the default speed of 1000, a 10 s
//                     stop timeout takes 10 ms. Events keep their real order.
//   Manual            model time stands still until a test calls advance(); due callbacks
//                     then run in deadline order, and the loop is left to settle between
//                     two deadlines so that woken coroutines react before time moves on.
//                     Fully deterministic: timestamps and ordering repeat exactly.
//
// All callbacks run on the io_context's thread, never inside schedule().

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "runtime/stream.hpp"

namespace stack::runtime::fake {

using Timestamp = std::chrono::nanoseconds;  // model time since the Unix epoch

enum class ClockMode { Scaled, Manual };

struct ClockOptions {
  ClockMode mode = ClockMode::Scaled;
  // Scaled mode: model nanoseconds per real nanosecond.
  double speed = 1000.0;
  // Model time at construction. The default is 2024-01-01T00:00:00Z so that timestamps
  // in tests do not depend on the day they run.
  Timestamp epoch = std::chrono::seconds(1704067200);
  // Manual mode: how many times advance() yields to the loop after each deadline. Each
  // round lets every ready handler run once, so this bounds the length of the chain of
  // wake-ups that one instant can trigger before time moves on.
  int settle_rounds = 32;
};

class FakeClock {
 public:
  using Callback = std::function<void()>;
  using TimerId = uint64_t;

  FakeClock(boost::asio::any_io_executor executor, ClockOptions options);
  ~FakeClock();
  FakeClock(const FakeClock&) = delete;
  FakeClock& operator=(const FakeClock&) = delete;

  // Current model time. Never goes backwards.
  Timestamp now();
  ClockMode mode() const { return options_.mode; }
  const ClockOptions& options() const { return options_; }

  // Runs `callback` on the loop once model time reaches now() + delay (a zero delay runs it
  // soon, never inline). Callbacks due at the same instant run in scheduling order.
  TimerId schedule(std::chrono::nanoseconds delay, Callback callback);
  TimerId scheduleAt(Timestamp deadline, Callback callback);
  // Forgets a scheduled callback; unknown or fired ids are ignored.
  void cancel(TimerId id);
  // Number of callbacks waiting, for tests that check nothing is left behind.
  size_t pending() const;
  std::optional<Timestamp> nextDeadline() const;

  // Suspends the caller for `duration` of model time. Cancellable (stack::Error Cancelled).
  Awaitable<void> sleep(std::chrono::nanoseconds duration);
  // Manual mode: moves model time forward by `duration`, running every callback due on the
  // way and settling the loop after each deadline. Scaled mode: the same as sleep().
  Awaitable<void> advance(std::chrono::nanoseconds duration);
  // Yields to the loop `settle_rounds` times so that ready coroutines can run.
  Awaitable<void> settle();

 private:
  struct State;
  void arm();
  void fireDue();

  boost::asio::any_io_executor executor_;
  ClockOptions options_;
  std::shared_ptr<State> state_;
};

}  // namespace stack::runtime::fake
