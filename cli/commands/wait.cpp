// `stack wait`: block until the services' containers stop and exit with the first exit
// code, as `docker compose wait`; --down-project then takes the project down. Works from
// labels alone.

#include <cstdio>

#include "cli/command.hpp"
#include "cli/commands/project_scope.hpp"
#include "orchestrator/project_lock.hpp"

namespace stack::cli {
namespace {

struct WaitFlags {
  bool down_project = false;
  std::vector<std::string> services;
};

int runWait(const GlobalOptions& globals, const WaitFlags& flags) {
  Session session(globals);
  const std::string project = session.identity().name;
  orchestrator::oneoff::WaitRequest request;
  request.services = {flags.services.begin(), flags.services.end()};
  request.first_only = flags.down_project;
  request.exited = [](const runtime::ContainerSummary& container, int exit_code) {
    std::printf("container \"%s\" exited with status code %d\n", container.name.c_str(), exit_code);
    std::fflush(stdout);
  };
  return session.run([&]() -> boost::asio::awaitable<int> {
    orchestrator::ProjectController controller = session.controller();
    const int code = co_await controller.wait(project, request);
    if (flags.down_project) {
      // Taken only now: waiting must not hold up other commands on the project.
      orchestrator::ProjectLock lock(project, lockWaitWarning(session, project));
      orchestrator::planner::DownOptions down;
      down.remove_orphans = true;
      co_await controller.down(project, nullptr, down);
    }
    co_return code;
  });
}

}  // namespace

void addWaitCommand(CommandSetup setup) {
  auto flags = std::make_shared<WaitFlags>();
  CLI::App* wait = setup.app.add_subcommand(
      "wait", "Block until containers of all (or specified) services stop.");
  wait->add_flag("--down-project", flags->down_project,
                 "Drops project when the first container stops");
  wait->add_option("services", flags->services, "Services to wait for")->required();
  auto& globals = setup.globals;
  wait->callback([flags, &globals, &action = setup.action] {
    action = [flags, &globals] { return runWait(globals, *flags); };
  });
}

}  // namespace stack::cli
