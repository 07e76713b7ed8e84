#pragma once

// What every command shares: the global flags, the event loop, the engine connection,
// the progress printer, and loading the project. Commands are coroutines run by
// Session::run(), which turns SIGINT and SIGTERM into cancellation.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "orchestrator/compose/loader.hpp"
#include "orchestrator/progress/progress.hpp"
#include "orchestrator/project_controller.hpp"
#include "runtime/engine.hpp"
#include "runtime/swarm_engine.hpp"

namespace stack::cli {

struct GlobalOptions {
  std::vector<std::string> files;      // -f
  std::string project_name;            // -p
  std::vector<std::string> profiles;   // --profile
  std::vector<std::string> env_files;  // --env-file
  std::string project_directory;       // --project-directory
  std::string progress;                // --progress (COMPOSE_PROGRESS)
  std::string ansi = "auto";           // --ansi never|always|auto
  bool dry_run = false;                // --dry-run
  int parallel = -1;                   // --parallel (COMPOSE_PARALLEL_LIMIT); -1 = default
  std::string log_level;               // --log-level
};

class Session {
 public:
  explicit Session(GlobalOptions options);
  ~Session();

  const GlobalOptions& options() const { return options_; }
  boost::asio::io_context& io() { return io_; }

  // The engine, connected lazily on first use.
  runtime::Engine& engine();
  // The same engine's Swarm endpoints (stack deploy, stack swarm ...).
  runtime::SwarmEngine& swarm();
  orchestrator::progress::ProgressSink& progress();
  orchestrator::ControllerOptions controllerOptions() const;
  // The one way a command opens the project operations: this session's engine, progress
  // and controller options (--dry-run, --parallel, the state dir).
  orchestrator::ProjectController controller();
  bool colorEnabled() const;

  // Loads the project; prints the loader's warnings. `services` named on the command line
  // enable their profiles.
  orchestrator::compose::Project loadProject(const std::vector<std::string>& services = {},
                                             bool interpolate = true);
  // The project name and directory, without requiring a compose file.
  orchestrator::compose::ProjectIdentity identity();
  orchestrator::compose::LoadOptions loadOptions() const;

  // Runs `body` on the loop until it finishes. SIGINT or SIGTERM cancel it: the command
  // then fails with kind Cancelled (exit code 130).
  int run(std::function<boost::asio::awaitable<int>()> body);
  // Runs `body` on the loop; the body decides what SIGINT and SIGTERM mean by waiting on
  // `signals` itself (attached `up`: the first stops gracefully, the second kills).
  int runInterruptible(
      std::function<boost::asio::awaitable<int>(boost::asio::signal_set& signals)> body);

 private:
  GlobalOptions options_;
  boost::asio::io_context io_;
  std::unique_ptr<runtime::Engine> engine_;
  std::unique_ptr<runtime::SwarmEngine> swarm_;
  std::unique_ptr<orchestrator::progress::ProgressSink> progress_;
};

}  // namespace stack::cli
