// `stack rm`: remove the services' stopped containers (with -s, stop them first). Without
// -f it asks first, as docker compose does, and only on a terminal: without one it refuses
// rather than guess. Works from labels when there is no compose file.

#include <cstdio>

#include "cli/command.hpp"
#include "cli/commands/project_scope.hpp"
#include "cli/commands/view_format.hpp"
#include "core/error.hpp"
#include "orchestrator/project_lock.hpp"

namespace stack::cli {
namespace {

struct RmFlags {
  bool force = false;
  bool stop = false;
  bool volumes = false;
  bool all = false;  // deprecated in docker compose, no effect
  std::vector<std::string> services;
};

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

int runRm(const GlobalOptions& globals, const RmFlags& flags) {
  Session session(globals);
  const ProjectScope scope = resolveScope(session, flags.services);
  orchestrator::planner::RemoveContainersOptions options;
  options.services = toSet(flags.services);
  options.stop = flags.stop;
  options.volumes = flags.volumes;
  const bool ask = !flags.force && !globals.dry_run;
  orchestrator::ProjectLock lock(scope.name, lockWaitWarning(session, scope.name));
  bool found = false;
  auto confirm = [&](const std::vector<std::string>& names) -> boost::asio::awaitable<bool> {
    found = true;
    const std::string message = "Going to remove " + joined(names);
    if (!ask) {
      std::printf("%s\n", message.c_str());
      std::fflush(stdout);
      co_return true;
    }
    if (!stdinIsTerminal()) {
      throw Error(ErrorKind::Usage,
                  message + ", but standard input is not a terminal to confirm it on",
                  "pass -f to remove without asking");
    }
    const std::string question = message + ". Are you sure? [yN] ";
    const bool yes = co_await askYesNo(question);
    co_return yes;
  };
  const orchestrator::ProjectController::RemovalConfirmation confirmation = confirm;
  return session.run([&]() -> boost::asio::awaitable<int> {
    orchestrator::ProjectController controller = session.controller();
    co_await controller.remove(scope.name, scope.model(), options, confirmation);
    if (!found) std::fprintf(stderr, "No stopped containers\n");
    co_return 0;
  });
}

}  // namespace

void addRmCommand(CommandSetup setup) {
  auto flags = std::make_shared<RmFlags>();
  CLI::App* rm = setup.app.add_subcommand("rm", "Removes stopped service containers");
  rm->add_flag("-f,--force", flags->force, "Don't ask to confirm removal");
  rm->add_flag("-s,--stop", flags->stop, "Stop the containers, if required, before removing");
  rm->add_flag("-v,--volumes", flags->volumes,
               "Remove any anonymous volumes attached to containers");
  rm->add_flag("-a,--all", flags->all, "Deprecated - no effect")->group("");
  rm->add_option("services", flags->services, "Services to remove");
  auto& globals = setup.globals;
  rm->callback([flags, &globals, &action = setup.action] {
    action = [flags, &globals] { return runRm(globals, *flags); };
  });
}

}  // namespace stack::cli
