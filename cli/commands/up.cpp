// `stack up`: create and start the project's containers.

#include <boost/asio/use_awaitable.hpp>
#include <cstdlib>

#include "cli/command.hpp"
#include "cli/commands/project_scope.hpp"
#include "cli/commands/timings.hpp"
#include "cli/log_printer.hpp"
#include "core/error.hpp"
#include "orchestrator/project_lock.hpp"

namespace stack::cli {
namespace {

struct UpFlags {
  bool detach = false;
  bool no_deps = false;
  bool force_recreate = false;
  bool no_recreate = false;
  bool always_recreate_deps = false;
  bool remove_orphans = false;
  bool no_start = false;
  std::vector<std::string> scale;
  int timeout = -1;
  bool wait = false;
  bool timings = false;
  int wait_timeout = -1;
  std::vector<std::string> attach;
  std::vector<std::string> no_attach;
  bool abort_on_exit = false;
  bool abort_on_failure = false;
  std::string exit_code_from;
  bool no_color = false;
  bool no_log_prefix = false;
  bool timestamps = false;
  bool build = false;
  bool no_build = false;
  std::string pull;
  bool quiet_pull = false;
  std::vector<std::string> services;
};

orchestrator::planner::UpOptions toOptions(const UpFlags& flags) {
  if (flags.force_recreate && flags.no_recreate) {
    throw Error(ErrorKind::Usage, "--force-recreate and --no-recreate are incompatible");
  }
  orchestrator::planner::UpOptions options;
  options.services = {flags.services.begin(), flags.services.end()};
  options.no_deps = flags.no_deps;
  options.force_recreate = flags.force_recreate;
  options.no_recreate = flags.no_recreate;
  options.always_recreate_deps = flags.always_recreate_deps;
  const char* env_remove = std::getenv("COMPOSE_REMOVE_ORPHANS");
  options.remove_orphans =
      flags.remove_orphans || (env_remove && std::string(env_remove) == "true");
  options.no_start = flags.no_start;
  if (flags.timeout >= 0) options.timeout_seconds = flags.timeout;
  options.wait = flags.wait;
  if (flags.wait_timeout >= 0) options.wait_timeout = std::chrono::seconds(flags.wait_timeout);
  if (flags.build && flags.no_build) {
    throw Error(ErrorKind::Usage, "--build and --no-build are incompatible");
  }
  if (flags.build) options.images.build = orchestrator::images::BuildMode::Changed;
  if (flags.no_build) options.images.build = orchestrator::images::BuildMode::Never;
  if (!flags.pull.empty() && flags.pull != "always" && flags.pull != "missing" &&
      flags.pull != "never") {
    throw Error(ErrorKind::Usage, "invalid --pull \"" + flags.pull + "\"",
                "use --pull always, missing or never");
  }
  options.images.pull = flags.pull;
  options.images.quiet_pull = flags.quiet_pull;
  return options;
}

void checkFlags(const UpFlags& flags) {
  const bool background = flags.detach || flags.wait;
  const bool aborts =
      flags.abort_on_exit || flags.abort_on_failure || !flags.exit_code_from.empty();
  if (background && (aborts || !flags.attach.empty())) {
    throw Error(ErrorKind::Usage, std::string(flags.detach ? "--detach" : "--wait") +
                                      " cannot be combined with --abort-on-container-exit, "
                                      "--abort-on-container-failure, --exit-code-from or --attach");
  }
  if (flags.abort_on_exit && flags.abort_on_failure) {
    throw Error(ErrorKind::Usage,
                "--abort-on-container-exit and --abort-on-container-failure are incompatible");
  }
}

int runAttached(Session& session, const orchestrator::compose::Project& project,
                const UpFlags& flags, const orchestrator::planner::UpOptions& options) {
  orchestrator::logs::AttachRequest request;
  request.attach = {flags.attach.begin(), flags.attach.end()};
  request.no_attach = {flags.no_attach.begin(), flags.no_attach.end()};
  request.abort_on_exit = flags.abort_on_exit;
  request.abort_on_failure = flags.abort_on_failure;
  request.exit_code_from = flags.exit_code_from;
  LogPrinter printer({.project = project.name,
                      .color = session.colorEnabled() && !flags.no_color,
                      .prefix = !flags.no_log_prefix,
                      .timestamps = flags.timestamps});
  for (const auto& [name, _] : project.services) printer.reserve({"", name, 1});
  return session.runInterruptible(
      [&](boost::asio::signal_set& signals) -> boost::asio::awaitable<int> {
        request.interrupted = [&signals]() -> boost::asio::awaitable<void> {
          co_await signals.async_wait(boost::asio::use_awaitable);
        };
        orchestrator::ProjectController controller = session.controller();
        co_return co_await controller.upAttached(project, options, request, printer);
      });
}

int runUp(const GlobalOptions& globals, const UpFlags& flags) {
  checkFlags(flags);
  Session session(globals);
  orchestrator::planner::UpOptions options = toOptions(flags);
  orchestrator::compose::Project project = session.loadProject(flags.services);
  if (project.services.empty()) {
    // As docker compose's up: a project without (enabled) services is valid, but there
    // is nothing to run.
    throw Error(ErrorKind::Usage, "no service selected",
                "add a service to the compose file, or enable one with --profile");
  }
  options.scale = parseScale(flags.scale, project);
  int code = 0;
  if (!flags.detach && !flags.wait && !flags.no_start) {
    orchestrator::ProjectLock lock(project.name, lockWaitWarning(session, project.name));
    code = runAttached(session, project, flags, options);
  } else {
    code = runUpLocked(session, project, options);
  }
  if (flags.timings && !globals.dry_run) printTimings(lastUp(project.name), "text");
  return code;
}

}  // namespace

void addUpCommand(CommandSetup setup) {
  auto flags = std::make_shared<UpFlags>();
  CLI::App* up = setup.app.add_subcommand("up", "Create and start containers");
  up->add_flag("-d,--detach", flags->detach, "Detached mode: run containers in the background");
  up->add_flag("--no-deps", flags->no_deps, "Don't start linked services");
  up->add_flag("--force-recreate", flags->force_recreate,
               "Recreate containers even if their configuration hasn't changed");
  up->add_flag("--no-recreate", flags->no_recreate,
               "If containers already exist, don't recreate them");
  up->add_flag("--always-recreate-deps", flags->always_recreate_deps,
               "Recreate dependent containers");
  up->add_flag("--remove-orphans", flags->remove_orphans,
               "Remove containers for services not defined in the Compose file");
  up->add_flag("--no-start", flags->no_start, "Don't start the services after creating them");
  up->add_option("--scale", flags->scale, "Scale SERVICE to NUM instances (SERVICE=NUM)");
  up->add_option("-t,--timeout", flags->timeout,
                 "Use this timeout in seconds for container shutdown");
  up->add_flag("--timings", flags->timings,
               "Print the critical chain of this up at its end (see `stack timings`)");
  up->add_flag("--wait", flags->wait,
               "Wait for services to be running|healthy. Implies detached mode.");
  up->add_option("--wait-timeout", flags->wait_timeout,
                 "Maximum duration in seconds to wait for the project to be running|healthy");
  up->add_option("--attach", flags->attach, "Restrict attaching to the specified services");
  up->add_option("--no-attach", flags->no_attach,
                 "Do not attach (stream logs) to the specified services");
  up->add_flag("--abort-on-container-exit", flags->abort_on_exit,
               "Stops all containers if any container was stopped");
  up->add_flag("--abort-on-container-failure", flags->abort_on_failure,
               "Stops all containers if any container exited with failure");
  up->add_option("--exit-code-from", flags->exit_code_from,
                 "Return the exit code of the selected service container. Implies "
                 "--abort-on-container-exit");
  up->add_flag("--no-color", flags->no_color, "Produce monochrome output");
  up->add_flag("--no-log-prefix", flags->no_log_prefix, "Don't print prefix in logs");
  up->add_flag("--timestamps", flags->timestamps, "Show timestamps");
  up->add_flag("--build", flags->build, "Build images before starting containers");
  up->add_flag("--no-build", flags->no_build, "Don't build an image, even if it's missing");
  up->add_option("--pull", flags->pull,
                 "Pull image before running (\"always\"|\"missing\"|\"never\")");
  up->add_flag("--quiet-pull", flags->quiet_pull, "Pull without printing progress information");
  up->add_option("services", flags->services, "Services to start");
  auto& globals = setup.globals;
  up->callback([flags, &globals, &action = setup.action] {
    action = [flags, &globals] { return runUp(globals, *flags); };
  });
}

}  // namespace stack::cli
