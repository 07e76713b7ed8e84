// `stack start`: start the project's existing containers, dependencies first, honouring
// their depends_on conditions; `--wait` then waits until they are ready, as `up --wait`.
// Works from labels when there is no compose file.

#include "cli/command.hpp"
#include "cli/commands/project_scope.hpp"
#include "cli/commands/view_format.hpp"
#include "orchestrator/project_lock.hpp"

namespace stack::cli {
namespace {

struct StartFlags {
  bool wait = false;
  int wait_timeout = 0;
  std::vector<std::string> services;
};

int runStart(const GlobalOptions& globals, const StartFlags& flags) {
  Session session(globals);
  const ProjectScope scope = resolveScope(session, flags.services);
  orchestrator::planner::StartOptions options;
  options.services = toSet(flags.services);
  options.wait = flags.wait;
  // As docker compose: 0 (the default) means no overall deadline.
  if (flags.wait_timeout > 0) options.wait_timeout = std::chrono::seconds(flags.wait_timeout);
  orchestrator::ProjectLock lock(scope.name, lockWaitWarning(session, scope.name));
  return session.run([&]() -> boost::asio::awaitable<int> {
    orchestrator::ProjectController controller = session.controller();
    co_await controller.start(scope.name, scope.model(), options);
    co_return 0;
  });
}

}  // namespace

void addStartCommand(CommandSetup setup) {
  auto flags = std::make_shared<StartFlags>();
  CLI::App* start = setup.app.add_subcommand("start", "Start services");
  start->add_flag("--wait", flags->wait,
                  "Wait for services to be running|healthy. Implies detached mode.");
  start->add_option("--wait-timeout", flags->wait_timeout,
                    "Maximum duration in seconds to wait for the project to be running|healthy");
  start->add_option("services", flags->services, "Services to start");
  auto& globals = setup.globals;
  start->callback([flags, &globals, &action = setup.action] {
    action = [flags, &globals] { return runStart(globals, *flags); };
  });
}

}  // namespace stack::cli
