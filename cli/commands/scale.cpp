// `stack scale SERVICE=REPLICAS...`: sets the number of containers of services, as docker
// compose scale does it (create, then start, with the new scale), dependencies included
// unless --no-deps.

#include <cstdlib>

#include "cli/command.hpp"
#include "cli/commands/project_commands.hpp"
#include "cli/commands/project_scope.hpp"
#include "core/error.hpp"

namespace stack::cli {
namespace {

struct ScaleFlags {
  std::vector<std::string> entries;
  bool no_deps = false;
};

// compose's parseServicesReplicasArgs: every argument is SERVICE=NUM.
std::map<std::string, int> parseReplicas(const std::vector<std::string>& entries) {
  std::map<std::string, int> out;
  for (const auto& entry : entries) {
    const auto equals = entry.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == entry.size()) {
      throw Error(ErrorKind::Usage, "invalid scale specifier: " + entry, "use SERVICE=REPLICAS");
    }
    char* end = nullptr;
    const long count = std::strtol(entry.c_str() + equals + 1, &end, 10);
    if (*end || count < 0) {
      throw Error(ErrorKind::Usage,
                  "invalid scale specifier: can't parse replica value as int: " + entry,
                  "use SERVICE=REPLICAS with REPLICAS a number, 0 or more");
    }
    out[entry.substr(0, equals)] = static_cast<int>(count);
  }
  return out;
}

int runScale(const GlobalOptions& globals, const ScaleFlags& flags) {
  const auto replicas = parseReplicas(flags.entries);
  std::vector<std::string> services;
  for (const auto& [service, count] : replicas) services.push_back(service);
  Session session(globals);
  orchestrator::compose::Project project = session.loadProject(services);
  orchestrator::planner::UpOptions options;
  options.services = std::set<std::string>(services.begin(), services.end());
  options.no_deps = flags.no_deps;
  options.scale = parseScale(flags.entries, project);  // checks the services exist
  return runUpLocked(session, project, options);
}

}  // namespace

void addScaleCommand(CommandSetup setup) {
  auto flags = std::make_shared<ScaleFlags>();
  CLI::App* command = setup.app.add_subcommand("scale", "Scale services");
  command->add_option("replicas", flags->entries, "SERVICE=REPLICAS")->required();
  command->add_flag("--no-deps", flags->no_deps, "Don't start linked services");
  auto& globals = setup.globals;
  command->callback([flags, &globals, &action = setup.action] {
    action = [flags, &globals] { return runScale(globals, *flags); };
  });
}

}  // namespace stack::cli
