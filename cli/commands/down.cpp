// `stack down`: stop and remove the project's containers and networks (volumes with -v).
// Works without a compose file, from labels, as docker compose does.

#include "cli/command.hpp"
#include "cli/commands/project_scope.hpp"
#include "core/error.hpp"
#include "orchestrator/project_lock.hpp"

namespace stack::cli {
namespace {

struct DownFlags {
  bool volumes = false;
  bool remove_orphans = false;
  std::string rmi;
  int timeout = -1;
};

int runDown(const GlobalOptions& globals, const DownFlags& flags) {
  if (!flags.rmi.empty() && flags.rmi != "local" && flags.rmi != "all") {
    throw Error(ErrorKind::Usage, "invalid --rmi \"" + flags.rmi + "\"",
                "use --rmi local or --rmi all");
  }
  Session session(globals);
  orchestrator::compose::ProjectIdentity identity = session.identity();
  std::optional<orchestrator::compose::Project> project;
  if (!identity.config_files.empty()) project = session.loadProject();
  const std::string name = project ? project->name : identity.name;
  orchestrator::planner::DownOptions options;
  options.remove_volumes = flags.volumes;
  options.remove_orphans = flags.remove_orphans;
  options.remove_images = flags.rmi;
  if (flags.timeout >= 0) options.timeout_seconds = flags.timeout;
  orchestrator::ProjectLock lock(name, lockWaitWarning(session, name));
  return session.run([&]() -> boost::asio::awaitable<int> {
    orchestrator::ProjectController controller = session.controller();
    co_await controller.down(name, project ? &*project : nullptr, options);
    co_return 0;
  });
}

}  // namespace

void addDownCommand(CommandSetup setup) {
  auto flags = std::make_shared<DownFlags>();
  CLI::App* down = setup.app.add_subcommand("down", "Stop and remove containers, networks");
  down->add_flag("-v,--volumes", flags->volumes,
                 "Remove named volumes declared in the volumes section and anonymous volumes");
  down->add_flag("--remove-orphans", flags->remove_orphans,
                 "Remove containers for services not defined in the Compose file");
  down->add_option("--rmi", flags->rmi, "Remove images used by services: \"local\" or \"all\"");
  down->add_option("-t,--timeout", flags->timeout, "Specify a shutdown timeout in seconds");
  auto& globals = setup.globals;
  down->callback([flags, &globals, &action = setup.action] {
    action = [flags, &globals] { return runDown(globals, *flags); };
  });
}

}  // namespace stack::cli
