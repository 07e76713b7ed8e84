// `stack restart`: restart the services' containers, dependencies first; the services
// that depend on a named one with `restart: true` restart too, unless --no-deps. Works
// from labels when there is no compose file.

#include "cli/command.hpp"
#include "cli/commands/project_scope.hpp"
#include "cli/commands/view_format.hpp"
#include "orchestrator/project_lock.hpp"

namespace stack::cli {
namespace {

struct RestartFlags {
  int timeout = -1;
  bool no_deps = false;
  std::vector<std::string> services;
};

int runRestart(const GlobalOptions& globals, const RestartFlags& flags) {
  Session session(globals);
  const ProjectScope scope = resolveScope(session, flags.services);
  orchestrator::planner::RestartOptions options;
  options.services = toSet(flags.services);
  options.no_deps = flags.no_deps;
  if (flags.timeout >= 0) options.timeout_seconds = flags.timeout;
  orchestrator::ProjectLock lock(scope.name, lockWaitWarning(session, scope.name));
  return session.run([&]() -> boost::asio::awaitable<int> {
    orchestrator::ProjectController controller = session.controller();
    co_await controller.restart(scope.name, scope.model(), options);
    co_return 0;
  });
}

}  // namespace

void addRestartCommand(CommandSetup setup) {
  auto flags = std::make_shared<RestartFlags>();
  CLI::App* restart = setup.app.add_subcommand("restart", "Restart service containers");
  restart->add_option("-t,--timeout", flags->timeout, "Specify a shutdown timeout in seconds");
  restart->add_flag("--no-deps", flags->no_deps, "Don't restart dependent services");
  restart->add_option("services", flags->services, "Services to restart");
  auto& globals = setup.globals;
  restart->callback([flags, &globals, &action = setup.action] {
    action = [flags, &globals] { return runRestart(globals, *flags); };
  });
}

}  // namespace stack::cli
