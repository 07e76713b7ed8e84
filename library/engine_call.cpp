#include "library/engine_call.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <exception>
#include <new>
#include <string>

#include "core/error.hpp"
#include "runtime/docker/docker_engine.hpp"
#include "runtime/docker/endpoint.hpp"

namespace stack::library {

namespace {

boost::asio::awaitable<void> callWithEngine(EngineBody body) {
  auto executor = co_await boost::asio::this_coro::executor;
  runtime::docker::DockerEngine engine(executor, runtime::docker::resolveEndpoint());
  orchestrator::progress::NullProgress progress;
  orchestrator::ProjectController controller(engine, progress);
  EngineCall call{executor, engine, controller};
  co_await body(call);
}

}  // namespace

boost::asio::awaitable<void> withEngine(const char* what, EngineBody body) {
  try {
    co_await callWithEngine(std::move(body));
  } catch (const Error&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& error) {
    throw Error(ErrorKind::Internal, std::string(what) + ": " + error.what());
  }
}

void runEngineCall(const char* what, const EngineBody& body) {
  boost::asio::io_context io;
  std::exception_ptr failure;
  boost::asio::co_spawn(io, withEngine(what, body),
                        [&](std::exception_ptr error) { failure = error; });
  io.run();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace stack::library
