// `stack create`: create the project's containers (and networks and volumes) without
// starting them: `up --no-start` with docker compose's `create` flags.

#include <cstdlib>

#include "cli/command.hpp"
#include "cli/commands/project_scope.hpp"
#include "cli/commands/view_format.hpp"
#include "core/error.hpp"

namespace stack::cli {
namespace {

struct CreateFlags {
  bool force_recreate = false;
  bool no_recreate = false;
  bool remove_orphans = false;
  bool no_deps = false;
  std::vector<std::string> scale;
  std::vector<std::string> services;
};

int runCreate(const GlobalOptions& globals, const CreateFlags& flags) {
  if (flags.force_recreate && flags.no_recreate) {
    throw Error(ErrorKind::Usage, "--force-recreate and --no-recreate are incompatible");
  }
  Session session(globals);
  orchestrator::compose::Project project = session.loadProject(flags.services);
  orchestrator::planner::UpOptions options;
  options.services = toSet(flags.services);
  options.no_deps = flags.no_deps;
  options.force_recreate = flags.force_recreate;
  options.no_recreate = flags.no_recreate;
  options.remove_orphans = flags.remove_orphans;
  options.no_start = true;
  options.scale = parseScale(flags.scale, project);
  return runUpLocked(session, project, options);
}

}  // namespace

void addCreateCommand(CommandSetup setup) {
  auto flags = std::make_shared<CreateFlags>();
  CLI::App* create = setup.app.add_subcommand("create", "Creates containers for a service");
  create->add_flag("--force-recreate", flags->force_recreate,
                   "Recreate containers even if their configuration and image haven't changed");
  create->add_flag("--no-recreate", flags->no_recreate,
                   "If containers already exist, don't recreate them. Incompatible with "
                   "--force-recreate.");
  create->add_flag("--remove-orphans", flags->remove_orphans,
                   "Remove containers for services not defined in the Compose file");
  create->add_flag("--no-deps", flags->no_deps, "Don't create linked services");
  // One SERVICE=NUM per --scale, so that service names may follow.
  create->add_option("--scale", flags->scale,
                     "Scale SERVICE to NUM instances. Overrides the `scale` setting in the "
                     "Compose file if present.");
  create->add_option("services", flags->services, "Services to create");
  auto& globals = setup.globals;
  create->callback([flags, &globals, &action = setup.action] {
    action = [flags, &globals] { return runCreate(globals, *flags); };
  });
}

}  // namespace stack::cli
