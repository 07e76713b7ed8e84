// The task group's contract (core/task_group.hpp): it waits for every child, the first
// unhandled failure wins, on_failure takes a child's failure instead, cancel() and a
// cancelled waiter reach every child, and the group still waits for a child that finishes
// its own cleanup after being cancelled.
#include "core/task_group.hpp"

#include <doctest/doctest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace stack {
namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;
using namespace boost::asio::experimental::awaitable_operators;

asio::awaitable<void> sleepFor(std::chrono::milliseconds duration) {
  asio::steady_timer timer(co_await asio::this_coro::executor, duration);
  co_await timer.async_wait(asio::use_awaitable);
}

asio::awaitable<void> finishAfter(std::chrono::milliseconds duration, std::vector<int>& done,
                                  int id) {
  co_await sleepFor(duration);
  done.push_back(id);
}

asio::awaitable<void> failAfter(std::chrono::milliseconds duration, std::string message) {
  co_await sleepFor(duration);
  throw std::runtime_error(message);
}

// Runs `body` on a fresh io_context to the end; returns what escaped it, if anything.
template <typename Body>
std::exception_ptr runToEnd(Body body) {
  asio::io_context io;
  std::exception_ptr escaped;
  bool finished = false;
  asio::co_spawn(io, body(io.get_executor()), [&](std::exception_ptr failure) {
    escaped = failure;
    finished = true;
  });
  io.run();
  REQUIRE(finished);
  return escaped;
}

std::string messageOf(std::exception_ptr failure) {
  try {
    if (failure) std::rethrow_exception(failure);
  } catch (const std::exception& error) {
    return error.what();
  }
  return "";
}

TEST_CASE("wait() returns once every child is done, also those spawned while it waits") {
  std::vector<int> done;
  auto failure = runToEnd([&](asio::any_io_executor executor) -> asio::awaitable<void> {
    TaskGroup group(executor);
    group.spawn(finishAfter(30ms, done, 1));
    group.spawn([](TaskGroup& group, std::vector<int>& done) -> asio::awaitable<void> {
      co_await sleepFor(10ms);
      group.spawn(finishAfter(40ms, done, 3));  // a grandchild, spawned during wait()
      done.push_back(2);
    }(group, done));
    CHECK(group.running() == 2);
    co_await group.wait();
    CHECK(group.running() == 0);
  });
  CHECK_FALSE(failure);
  CHECK(done == std::vector<int>{2, 1, 3});
}

TEST_CASE("of several failures the first is rethrown, after the other children finished") {
  std::vector<int> done;
  auto failure = runToEnd([&](asio::any_io_executor executor) -> asio::awaitable<void> {
    TaskGroup group(executor);
    group.spawn(failAfter(20ms, "second"));
    group.spawn(failAfter(5ms, "first"));
    group.spawn(finishAfter(40ms, done, 1));  // a failing sibling does not stop it
    co_await group.wait();
  });
  CHECK(messageOf(failure) == "first");
  CHECK(done == std::vector<int>{1});
}

TEST_CASE("on_failure takes a child's failure instead of wait()") {
  std::vector<std::string> handled;
  auto failure = runToEnd([&](asio::any_io_executor executor) -> asio::awaitable<void> {
    TaskGroup group(executor);
    group.spawn(failAfter(5ms, "handled"),
                [&](std::exception_ptr error) { handled.push_back(messageOf(error)); });
    co_await group.wait();
  });
  CHECK_FALSE(failure);
  CHECK(handled == std::vector<std::string>{"handled"});
}

TEST_CASE("cancel() reaches every child and starts no new one") {
  std::vector<int> done;
  auto failure = runToEnd([&](asio::any_io_executor executor) -> asio::awaitable<void> {
    TaskGroup group(executor);
    group.spawn(finishAfter(10s, done, 1));
    group.spawn(finishAfter(10s, done, 2));
    co_await sleepFor(5ms);
    group.cancel();
    group.spawn(finishAfter(1ms, done, 3));  // after cancel(): not started
    co_await group.wait();
  });
  CHECK(done.empty());
  REQUIRE(failure);
  try {
    std::rethrow_exception(failure);
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::Cancelled);
  }
}

TEST_CASE("a cancelled waiter cancels the children and still waits for their cleanup") {
  bool cleaned_up = false;
  bool waiter_lost = false;
  auto failure = runToEnd([&](asio::any_io_executor executor) -> asio::awaitable<void> {
    TaskGroup group(executor);
    // A child that ignores the cancellation for a while: it catches it and cleans up.
    group.spawn([](bool& cleaned_up) -> asio::awaitable<void> {
      try {
        co_await sleepFor(10s);
      } catch (const boost::system::system_error&) {
      }
      co_await asio::this_coro::reset_cancellation_state();
      co_await sleepFor(30ms);
      cleaned_up = true;
    }(cleaned_up));
    // The waiter loses a race against a short timer, as under a deadline or Ctrl-C.
    auto outcome = co_await (group.wait() || sleepFor(10ms));
    waiter_lost = outcome.index() == 1;
  });
  CHECK_FALSE(failure);
  CHECK(waiter_lost);
  CHECK(cleaned_up);  // the race returned only after the child had finished
}

}  // namespace
}  // namespace stack
