#pragma once

// How every call of the public API reaches the engine: a Docker engine client for
// DOCKER_HOST and a ProjectController on it, for the length of one call, on the executor
// the call runs on. The synchronous API runs each call on a private io_context (so
// Projects stay independent: any thread, one call at a time each); the awaitable API
// (stack/asio.hpp) runs it on the caller's executor. Either way a call costs a curl
// handle, not a connection pool: the engine answers over a local socket.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <functional>

#include "orchestrator/progress/progress.hpp"
#include "orchestrator/project_controller.hpp"
#include "runtime/engine.hpp"

namespace stack::library {

struct EngineCall {
  boost::asio::any_io_executor executor;
  runtime::Engine& engine;
  orchestrator::ProjectController& controller;
};

using EngineBody = std::function<boost::asio::awaitable<void>(EngineCall&)>;

// Runs `body` on the current executor. stack::Error comes out as it is; any other
// exception becomes an Error of kind Internal naming `what`, so callers of the public API
// see one type.
boost::asio::awaitable<void> withEngine(const char* what, EngineBody body);

// Runs withEngine(what, body) to completion on a private io_context.
void runEngineCall(const char* what, const EngineBody& body);

}  // namespace stack::library
