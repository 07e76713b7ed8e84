#include "library/engine_call.hpp"

#include <boost/asio/co_spawn.hpp>
#include <exception>
#include <new>
#include <string>

#include "core/error.hpp"
#include "runtime/docker/docker_engine.hpp"
#include "runtime/docker/endpoint.hpp"

namespace stack::library {

void runEngineCall(const char* what,
                   const std::function<boost::asio::awaitable<void>(EngineCall&)>& body) {
  boost::asio::io_context io;
  runtime::docker::DockerEngine engine(io.get_executor(), runtime::docker::resolveEndpoint());
  orchestrator::progress::NullProgress progress;
  orchestrator::ProjectController controller(engine, progress);
  EngineCall call{io, engine, controller};
  std::exception_ptr failure;
  boost::asio::co_spawn(io, body(call), [&](std::exception_ptr error) { failure = error; });
  io.run();
  if (!failure) return;
  try {
    std::rethrow_exception(failure);
  } catch (const Error&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& error) {
    throw Error(ErrorKind::Internal, std::string(what) + ": " + error.what());
  }
}

}  // namespace stack::library
