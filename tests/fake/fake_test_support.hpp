#pragma once

// Shared scaffolding for the FakeEngine suites: an io_context, an engine, and run(),
// which drives one test coroutine to completion (rethrowing what it throws) with a
// real-time watchdog so that a hung await fails the test instead of hanging ctest.

#include <doctest/doctest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "runtime/fake/fake_engine.hpp"

namespace stack::runtime::fake::testing {

using namespace std::chrono_literals;

inline FakeEngineOptions manualClock() {
  FakeEngineOptions options;
  options.clock.mode = ClockMode::Manual;
  return options;
}

struct Fixture {
  explicit Fixture(FakeEngineOptions options = {}) : engine(io.get_executor(), options) {}

  // Runs `body` on the loop until it finishes; fails after `limit` of real time.
  void run(std::function<Awaitable<void>()> body, std::chrono::milliseconds limit = 10s) {
    bool finished = false;
    std::exception_ptr error;
    boost::asio::co_spawn(io, body(), [&](std::exception_ptr e) {
      error = e;
      finished = true;
    });
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!finished && std::chrono::steady_clock::now() < deadline)
      io.run_one_for(std::chrono::milliseconds(50));
    REQUIRE_MESSAGE(finished, "the test coroutine did not finish within the watchdog limit");
    if (error) std::rethrow_exception(error);
  }

  // An image with a command, so that create succeeds.
  std::string image(const std::string& tag, ContainerConfig config = {}) {
    if (!config.cmd) config.cmd = std::vector<std::string>{"serve"};
    FakeImage spec;
    spec.tags = {tag};
    spec.config = config;
    return engine.state().addImage(spec);
  }

  boost::asio::io_context io;
  FakeEngine engine;
};

inline ContainerCreateRequest request(const std::string& name, const std::string& image) {
  ContainerCreateRequest r;
  r.name = name;
  r.config.image = image;
  return r;
}

// Runs `operation` and returns the kind of the stack::Error it throws; fails the test
// when it succeeds. Use KIND_OF(expression), which keeps the arguments of the awaited
// call alive for as long as the call runs.
template <class Op>
Awaitable<ErrorKind> errorKindOf(Op operation) {
  try {
    co_await operation();
  } catch (const Error& error) {
    co_return error.kind();
  }
  FAIL("expected a stack::Error");
  co_return ErrorKind::Internal;
}

#define KIND_OF(expression) \
  (co_await errorKindOf([&]() -> Awaitable<void> { co_await (expression); }))

// Events of `type` in the model's history, as "action name".
inline std::vector<std::string> eventsOf(FakeEngine& engine, const std::string& type) {
  std::vector<std::string> out;
  for (const auto& event : engine.state().events())
    if (event.type == type) {
      const auto name = event.attributes.find("name");
      out.push_back(event.action + " " + (name == event.attributes.end() ? "" : name->second));
    }
  return out;
}

}  // namespace stack::runtime::fake::testing
