#pragma once

// Runs a batch of coroutines with a bound on how many are in flight, for builds, pulls,
// pushes and inspects. The contract matches the plan executor's: after a task throws, no
// new task starts, the tasks in flight finish, and the first error is rethrown (the
// others are handed to `on_other_error`, e.g. to print them as warnings). Cancelling the
// awaiting coroutine cancels the tasks in flight.

#include <algorithm>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <functional>
#include <vector>

namespace stack::orchestrator::images {

// Runs task(0) .. task(count - 1), at most `limit` at once (0: no limit).
inline boost::asio::awaitable<void> runBounded(
    size_t count, size_t limit, std::function<boost::asio::awaitable<void>(size_t)> task,
    std::function<void(std::exception_ptr)> on_other_error = {}) {
  namespace asio = boost::asio;
  if (count == 0) co_return;
  const size_t workers = limit == 0 ? count : std::min(limit, count);
  size_t next = 0;
  std::vector<std::exception_ptr> failures;
  auto worker = [&]() -> asio::awaitable<void> {
    while (next < count && failures.empty()) {
      const size_t index = next++;
      try {
        co_await task(index);
      } catch (...) {
        failures.push_back(std::current_exception());
      }
    }
  };
  auto executor = co_await asio::this_coro::executor;
  using Operation = decltype(asio::co_spawn(executor, worker(), asio::deferred));
  std::vector<Operation> operations;
  operations.reserve(workers);
  for (size_t i = 0; i < workers; ++i) {
    operations.push_back(asio::co_spawn(executor, worker(), asio::deferred));
  }
  auto group = asio::experimental::make_parallel_group(std::move(operations));
  auto [order, exceptions] =
      co_await group.async_wait(asio::experimental::wait_for_all(), asio::use_awaitable);
  for (auto& exception : exceptions) {
    if (exception) failures.push_back(exception);
  }
  if (failures.empty()) co_return;
  if (on_other_error) {
    for (size_t i = 1; i < failures.size(); ++i) on_other_error(failures[i]);
  }
  std::rethrow_exception(failures.front());
}

}  // namespace stack::orchestrator::images
