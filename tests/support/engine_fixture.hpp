#pragma once

// A DockerEngine on a private io_context for tests of the engine client itself. Every
// object a test creates carries the label `dev.stack.test=<unique id>` (or a name starting
// with the unique prefix), and the destructor sweeps them away with the docker CLI,
// whether the test passed or failed.

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>

#include "runtime/docker/docker_engine.hpp"

namespace stack::test {

class EngineFixture {
 public:
  EngineFixture();
  ~EngineFixture();

  runtime::Engine& engine() { return *engine_; }
  boost::asio::io_context& io() { return io_; }
  const std::string& id() const { return id_; }  // unique per fixture, usable in names
  std::string name(const std::string& suffix) const { return id_ + "-" + suffix; }
  runtime::StringMap labels() const { return {{"dev.stack.test", id_}}; }

  // Runs a coroutine to completion on the fixture's loop and returns its result; an
  // exception inside it is rethrown here.
  template <class T>
  T run(boost::asio::awaitable<T> operation) {
    std::exception_ptr failure;
    std::optional<T> result;
    boost::asio::co_spawn(io_, std::move(operation), [&](std::exception_ptr e, T value) {
      failure = e;
      if (!e) result = std::move(value);
    });
    io_.restart();
    io_.run();
    if (failure) std::rethrow_exception(failure);
    return std::move(*result);
  }
  void run(boost::asio::awaitable<void> operation);

  // A create request for the test image running `command`, labelled for cleanup.
  runtime::ContainerCreateRequest container(const std::string& suffix,
                                            std::vector<std::string> command) const;

 private:
  boost::asio::io_context io_;
  std::unique_ptr<runtime::docker::DockerEngine> engine_;
  std::string id_;
};

}  // namespace stack::test
