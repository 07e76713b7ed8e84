#pragma once

// Structured concurrency for coroutines on one io_context: spawn() starts a child at
// once; wait() returns when every child has finished, including children spawned while
// waiting. Cancelling the coroutine that waits cancels the children and still waits for
// them, so nothing outlives the group's scope by accident. The first child failure is
// rethrown by wait() once all children are done (unless a `on_failure` handler takes it).
//
// Always co_await wait() before the group goes out of scope; the destructor cancels any
// child still running as a last resort.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>

namespace stack {

class TaskGroup {
 public:
  explicit TaskGroup(const boost::asio::any_io_executor& executor);
  ~TaskGroup();
  TaskGroup(const TaskGroup&) = delete;
  TaskGroup& operator=(const TaskGroup&) = delete;

  // Starts `task` now. When it fails, `on_failure` (if given) sees the error instead of
  // wait(); the other children keep running either way.
  void spawn(boost::asio::awaitable<void> task,
             std::function<void(std::exception_ptr)> on_failure = {});
  // Returns when no child runs. Rethrows the first unhandled failure.
  boost::asio::awaitable<void> wait();
  // Cancels every running child.
  void cancel();
  size_t running() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace stack
