// `stack stop`: stop running containers, dependents first. Works from labels alone.

#include "cli/command.hpp"
#include "cli/commands/project_scope.hpp"
#include "orchestrator/project_lock.hpp"

namespace stack::cli {
namespace {

struct StopFlags {
  int timeout = -1;
  std::vector<std::string> services;
};

int runStop(const GlobalOptions& globals, const StopFlags& flags) {
  Session session(globals);
  const std::string project = session.identity().name;
  orchestrator::ProjectLock lock(project, lockWaitWarning(session, project));
  std::optional<int> timeout;
  if (flags.timeout >= 0) timeout = flags.timeout;
  return session.run([&]() -> boost::asio::awaitable<int> {
    orchestrator::ProjectController controller = session.controller();
    const std::set<std::string> services(flags.services.begin(), flags.services.end());
    co_await controller.stop(project, services, timeout);
    co_return 0;
  });
}

}  // namespace

void addStopCommand(CommandSetup setup) {
  auto flags = std::make_shared<StopFlags>();
  CLI::App* stop = setup.app.add_subcommand("stop", "Stop services");
  stop->add_option("-t,--timeout", flags->timeout, "Specify a shutdown timeout in seconds");
  stop->add_option("services", flags->services, "Services to stop");
  auto& globals = setup.globals;
  stop->callback([flags, &globals, &action = setup.action] {
    action = [flags, &globals] { return runStop(globals, *flags); };
  });
}

}  // namespace stack::cli
