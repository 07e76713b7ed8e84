#pragma once

// A broadcast wake-up for coroutines on one io_context: wait() suspends (no polling)
// until the next notify(). Waiters re-check their own condition after every wake-up, so a
// notify that nobody waits for is harmless and none is lost: on a single-threaded loop
// nothing runs between a waiter's check and its wait.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/error.hpp"
#include "runtime/stream.hpp"

namespace stack::runtime::fake {

class Signal {
 public:
  explicit Signal(boost::asio::any_io_executor executor);

  // Wakes every coroutine currently suspended in wait().
  void notify();

  // Suspends until notify(). Throws stack::Error(Cancelled) when the awaiting coroutine
  // is cancelled through Asio per-operation cancellation (for example when it loses a
  // race against a timer with awaitable_operators `||`).
  Awaitable<void> wait();

 private:
  // Never expires; cancel() completes every pending wait, which is the wake-up.
  boost::asio::steady_timer timer_;
};

// stack::Error(Cancelled). Callers convert Asio's system_error(operation_aborted) into it:
// Asio throws that from any co_await in a coroutine that is already cancelled.
Error cancelledError();

}  // namespace stack::runtime::fake
