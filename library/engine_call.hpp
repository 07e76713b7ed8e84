#pragma once

// How every synchronous call of the public API runs: a private io_context, a Docker
// engine client for DOCKER_HOST and a ProjectController on it, for the length of one call.
// A fresh loop per call keeps Projects independent (any thread, one call at a time each)
// and costs a curl handle, not a connection pool: the engine answers over a local socket.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>

#include "orchestrator/progress/progress.hpp"
#include "orchestrator/project_controller.hpp"
#include "runtime/engine.hpp"

namespace stack::library {

struct EngineCall {
  boost::asio::io_context& io;
  runtime::Engine& engine;
  orchestrator::ProjectController& controller;
};

// Runs `body` to completion. stack::Error comes out as it is; any other exception becomes
// an Error of kind Internal naming `what`, so callers of the public API see one type.
void runEngineCall(const char* what,
                   const std::function<boost::asio::awaitable<void>(EngineCall&)>& body);

}  // namespace stack::library
