// `stack kill`: send a signal (SIGKILL by default) to the services' running containers,
// dependents first. Works from labels when there is no compose file.

#include <cstdio>
#include <cstdlib>

#include "cli/command.hpp"
#include "cli/commands/project_scope.hpp"
#include "cli/commands/view_format.hpp"
#include "orchestrator/project_lock.hpp"

namespace stack::cli {
namespace {

struct KillFlags {
  std::string signal = "SIGKILL";
  bool remove_orphans = false;
  std::vector<std::string> services;
};

int runKill(const GlobalOptions& globals, const KillFlags& flags) {
  Session session(globals);
  const ProjectScope scope = resolveScope(session, flags.services);
  orchestrator::planner::KillOptions options;
  options.services = toSet(flags.services);
  options.signal = flags.signal;
  options.remove_orphans = flags.remove_orphans;
  orchestrator::ProjectLock lock(scope.name, lockWaitWarning(session, scope.name));
  return session.run([&]() -> boost::asio::awaitable<int> {
    orchestrator::ProjectController controller = session.controller();
    const orchestrator::planner::Plan plan =
        co_await controller.kill(scope.name, scope.model(), options);
    if (plan.empty()) std::fprintf(stderr, "No container to kill\n");
    co_return 0;
  });
}

}  // namespace

void addKillCommand(CommandSetup setup) {
  auto flags = std::make_shared<KillFlags>();
  const char* env_remove = std::getenv("COMPOSE_REMOVE_ORPHANS");
  flags->remove_orphans = env_remove && std::string(env_remove) == "true";
  CLI::App* kill = setup.app.add_subcommand("kill", "Force stop service containers");
  kill->add_option("-s,--signal", flags->signal, "SIGNAL to send to the container");
  kill->add_flag("--remove-orphans", flags->remove_orphans,
                 "Remove containers for services not defined in the Compose file");
  kill->add_option("services", flags->services, "Services to kill");
  auto& globals = setup.globals;
  kill->callback([flags, &globals, &action = setup.action] {
    action = [flags, &globals] { return runKill(globals, *flags); };
  });
}

}  // namespace stack::cli
