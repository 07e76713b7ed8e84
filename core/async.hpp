#pragma once

// Helpers for racing coroutines with Asio's awaitable operators.
//
// `a || b` completes when one side *succeeds* (wait_for_one_success): a side that throws
// does not end the race. So an operation whose failure must end the race is wrapped in
// capture(), which turns its exception into a value; the caller rethrows it after the race.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <optional>

#include "core/error.hpp"

namespace stack {

// A captured outcome. Not a std::variant: the awaitable operators flatten variants.
template <class T>
struct Captured {
  std::optional<T> value;
  std::exception_ptr failure;
};

template <class T>
boost::asio::awaitable<Captured<T>> capture(boost::asio::awaitable<T> operation) {
  std::exception_ptr failure;
  try {
    // Named first: g++ 12 destroys a co_await result twice inside a braced initializer.
    T value = co_await std::move(operation);
    co_return Captured<T>{std::move(value), nullptr};
  } catch (...) {
    failure = std::current_exception();
  }
  co_return Captured<T>{std::nullopt, failure};
}

inline boost::asio::awaitable<std::exception_ptr> capture(boost::asio::awaitable<void> operation) {
  try {
    co_await std::move(operation);
  } catch (...) {
    co_return std::current_exception();
  }
  co_return nullptr;
}

// Returns the value of a captured operation, or rethrows its exception.
template <class T>
T unwrap(Captured<T> captured) {
  if (captured.failure) std::rethrow_exception(captured.failure);
  return std::move(*captured.value);
}

inline void unwrap(std::exception_ptr captured) {
  if (captured) std::rethrow_exception(captured);
}

// A broadcast wake-up for coroutines on one io_context: wait() suspends until the next
// notify(). Waiters re-check their condition after every wake-up, so a notify() with
// nobody waiting is simply lost, and spurious wake-ups are harmless.
//
// The timer's expiry stays at "never" for its whole life: re-arming it with expires_at()
// would cancel the other waiters and make them re-arm in turn, forever.
class Signal {
 public:
  explicit Signal(const boost::asio::any_io_executor& executor)
      : timer_(executor, boost::asio::steady_timer::time_point::max()) {}

  void notify() { timer_.cancel(); }

  // Suspends until the next notify(). When the waiting coroutine is cancelled instead, it
  // throws stack::Error (kind Cancelled), so loops around wait() end with their caller.
  boost::asio::awaitable<void> wait() {
    co_await timer_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    auto state = co_await boost::asio::this_coro::cancellation_state;
    if (state.cancelled() != boost::asio::cancellation_type::none) {
      throw Error(ErrorKind::Cancelled, "cancelled");
    }
  }

  // Like wait(), but returns on cancellation: for the loops that must wait for their
  // children to wind down after being cancelled (they check the state themselves).
  boost::asio::awaitable<void> waitEvenIfCancelled() {
    co_await timer_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  }

 private:
  boost::asio::steady_timer timer_;
};

}  // namespace stack
