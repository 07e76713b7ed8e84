// `stack pause` and `stack unpause`: freeze and resume the services' containers. Work from
// labels when there is no compose file.

#include "cli/command.hpp"
#include "cli/commands/project_scope.hpp"
#include "cli/commands/view_format.hpp"
#include "orchestrator/project_lock.hpp"

namespace stack::cli {
namespace {

struct PauseFlags {
  std::vector<std::string> services;
};

int runPause(const GlobalOptions& globals, const PauseFlags& flags, bool pause) {
  Session session(globals);
  const ProjectScope scope = resolveScope(session, flags.services);
  const std::set<std::string> services = toSet(flags.services);
  orchestrator::ProjectLock lock(scope.name, lockWaitWarning(session, scope.name));
  return session.run([&]() -> boost::asio::awaitable<int> {
    orchestrator::ProjectController controller = session.controller();
    if (pause) {
      co_await controller.pause(scope.name, scope.model(), services);
    } else {
      co_await controller.unpause(scope.name, scope.model(), services);
    }
    co_return 0;
  });
}

void addCommand(CommandSetup setup, bool pause) {
  auto flags = std::make_shared<PauseFlags>();
  CLI::App* command = setup.app.add_subcommand(pause ? "pause" : "unpause",
                                               pause ? "Pause services" : "Unpause services");
  command->add_option("services", flags->services,
                      pause ? "Services to pause" : "Services to unpause");
  auto& globals = setup.globals;
  command->callback([flags, &globals, pause, &action = setup.action] {
    action = [flags, &globals, pause] { return runPause(globals, *flags, pause); };
  });
}

}  // namespace

void addPauseCommand(CommandSetup setup) {
  addCommand(setup, true);
}

void addUnpauseCommand(CommandSetup setup) {
  addCommand(setup, false);
}

}  // namespace stack::cli
