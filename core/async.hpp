#pragma once

// Helpers for racing coroutines with Asio's awaitable operators.
//
// `a || b` completes when one side *succeeds* (wait_for_one_success): a side that throws
// does not end the race. So an operation whose failure must end the race is wrapped in
// capture(), which turns its exception into a value; the caller rethrows it after the race.

#include <exception>
#include <optional>

#include <boost/asio/awaitable.hpp>

namespace stack {

// A captured outcome. Not a std::variant: the awaitable operators flatten variants.
template <class T>
struct Captured {
  std::optional<T> value;
  std::exception_ptr failure;
};

template <class T>
boost::asio::awaitable<Captured<T>> capture(boost::asio::awaitable<T> operation) {
  try {
    co_return Captured<T>{co_await std::move(operation), nullptr};
  } catch (...) {
    co_return Captured<T>{std::nullopt, std::current_exception()};
  }
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

}  // namespace stack
