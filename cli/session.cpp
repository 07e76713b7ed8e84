#include "cli/session.hpp"

#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdlib>

#include "cli/progress_printer.hpp"
#include "core/async.hpp"
#include "core/error.hpp"
#include "orchestrator/timings/up_record.hpp"
#include "runtime/docker/docker_engine.hpp"
#include "runtime/docker/docker_swarm.hpp"

namespace stack::cli {
namespace asio = boost::asio;
using namespace boost::asio::experimental::awaitable_operators;

namespace {

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

}  // namespace

Session::Session(GlobalOptions options) : options_(std::move(options)) {}

Session::~Session() = default;

runtime::Engine& Session::engine() {
  if (!engine_) {
    engine_ = std::make_unique<runtime::docker::DockerEngine>(io_.get_executor(),
                                                              runtime::docker::resolveEndpoint());
  }
  return *engine_;
}

runtime::SwarmEngine& Session::swarm() {
  if (!swarm_) {
    // engine() always makes a DockerEngine; the Swarm calls share its connection.
    swarm_ = std::make_unique<runtime::docker::DockerSwarmEngine>(
        static_cast<runtime::docker::DockerEngine&>(engine()));
  }
  return *swarm_;
}

bool Session::colorEnabled() const {
  if (options_.ansi == "never" || !environment("NO_COLOR").empty()) return false;
  if (options_.ansi == "always") return true;
  return ::isatty(STDOUT_FILENO);
}

orchestrator::progress::ProgressSink& Session::progress() {
  if (!progress_) {
    std::string mode =
        options_.progress.empty() ? environment("COMPOSE_PROGRESS") : options_.progress;
    progress_ = makeProgressPrinter(parseProgressMode(mode), colorEnabled());
  }
  return *progress_;
}

orchestrator::ControllerOptions Session::controllerOptions() const {
  orchestrator::ControllerOptions controller;
  controller.dry_run = options_.dry_run;
  int parallel = options_.parallel;
  if (parallel < 0) {
    const std::string env = environment("COMPOSE_PARALLEL_LIMIT");
    if (!env.empty()) parallel = std::atoi(env.c_str());
  }
  if (parallel >= 0) controller.parallel_limit = static_cast<size_t>(parallel);
  controller.state_dir = orchestrator::timings::defaultStateDir();  // every up is recorded
  return controller;
}

orchestrator::compose::LoadOptions Session::loadOptions() const {
  orchestrator::compose::LoadOptions load;
  load.files = options_.files;
  load.project_name = options_.project_name;
  load.project_directory = options_.project_directory;
  load.env_files = options_.env_files;
  load.profiles = options_.profiles;
  return load;
}

orchestrator::compose::Project Session::loadProject(const std::vector<std::string>& services,
                                                    bool interpolate) {
  orchestrator::compose::LoadOptions load = loadOptions();
  load.selected_services = services;
  load.interpolate = interpolate;
  orchestrator::compose::LoadResult result = orchestrator::compose::loadProject(load);
  for (const auto& warning : result.warnings) progress().warn(warning);
  return std::move(result.project);
}

int Session::runInterruptible(std::function<asio::awaitable<int>(asio::signal_set&)> body) {
  std::exception_ptr failure;
  int code = 0;
  asio::signal_set signals(io_, SIGINT, SIGTERM);
  asio::co_spawn(io_, body(signals), [&](std::exception_ptr error, int result) {
    failure = error;
    code = result;
  });
  io_.run();
  if (failure) std::rethrow_exception(failure);
  return code;
}

orchestrator::compose::ProjectIdentity Session::identity() {
  return orchestrator::compose::resolveProjectIdentity(loadOptions());
}

int Session::run(std::function<asio::awaitable<int>()> body) {
  std::exception_ptr failure;
  int code = 0;
  asio::signal_set signals(io_, SIGINT, SIGTERM);
  auto guarded = [&]() -> asio::awaitable<void> {
    auto outcome =
        co_await (capture(body()) || signals.async_wait(asio::as_tuple(asio::use_awaitable)));
    if (outcome.index() == 1) throw Error(ErrorKind::Cancelled, "interrupted");
    code = unwrap(std::get<0>(std::move(outcome)));
  };
  asio::co_spawn(io_, guarded(), [&](std::exception_ptr error) { failure = error; });
  io_.run();
  if (failure) std::rethrow_exception(failure);
  return code;
}

}  // namespace stack::cli
