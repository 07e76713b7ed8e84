#pragma once

// Helpers for the swarm/ unit tests: loading a compose file with the real loader, and
// running coroutines against the in-memory engines.

#include <doctest/doctest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <optional>
#include <string>

#include "tests/compose/compose_test_util.hpp"

namespace stack::swarm::testing {

// Loads `yaml` as compose.yaml of project "demo" (with `files` beside it).
inline compose::Project load(const std::string& yaml,
                             const std::map<std::string, std::string>& files = {}) {
  compose::testing::TempProject dir;
  dir.write("compose.yaml", yaml);
  for (const auto& [name, text] : files) dir.write(name, text);
  compose::LoadOptions options = dir.options();
  options.project_name = "demo";
  return compose::loadProject(options).project;
}

// Runs `operation` to completion on `io` and returns its value; rethrows its exception.
template <class T>
T run(boost::asio::io_context& io, boost::asio::awaitable<T> operation) {
  std::exception_ptr failure;
  std::optional<T> result;
  bool done = false;
  boost::asio::co_spawn(io, std::move(operation), [&](std::exception_ptr e, T value) {
    failure = e;
    if (!e) result = std::move(value);
    done = true;
  });
  io.restart();
  // The fake engine keeps timers alive: run until the operation is done, not until idle.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!done && std::chrono::steady_clock::now() < deadline) {
    io.run_one_for(std::chrono::milliseconds(100));
  }
  REQUIRE(done);
  if (failure) std::rethrow_exception(failure);
  return std::move(*result);
}

inline void run(boost::asio::io_context& io, boost::asio::awaitable<void> operation) {
  auto wrapped = [](boost::asio::awaitable<void> op) -> boost::asio::awaitable<bool> {
    co_await std::move(op);
    co_return true;
  };
  run(io, wrapped(std::move(operation)));
}

}  // namespace stack::swarm::testing
