// `stack build`: build the services' images, skipping those whose inputs did not change.

#include <cstdlib>

#include "cli/command.hpp"
#include "cli/commands/image_commands.hpp"
#include "cli/commands/project_scope.hpp"
#include "core/error.hpp"
#include "orchestrator/project_lock.hpp"

namespace stack::cli {
namespace {

struct BuildFlags {
  bool no_cache = false;
  bool pull = false;
  bool quiet = false;
  std::vector<std::string> build_args;
  std::vector<std::string> services;
};

// "K=V", or "K" to take K from the environment (left out when unset), as docker does.
std::map<std::string, std::string> parseBuildArgs(const std::vector<std::string>& entries) {
  std::map<std::string, std::string> args;
  for (const auto& entry : entries) {
    const auto equals = entry.find('=');
    const std::string key = entry.substr(0, equals);
    if (key.empty()) {
      throw Error(ErrorKind::Usage, "invalid --build-arg \"" + entry + "\"",
                  "use --build-arg KEY=VALUE, or --build-arg KEY to pass KEY's value from the "
                  "environment");
    }
    if (equals != std::string::npos) {
      args[key] = entry.substr(equals + 1);
    } else if (const char* value = std::getenv(key.c_str())) {
      args[key] = value;
    }
  }
  return args;
}

int runBuild(const GlobalOptions& globals, const BuildFlags& flags) {
  Session session(quietIf(globals, flags.quiet));
  orchestrator::images::ImageOptions options;
  options.build = orchestrator::images::BuildMode::Changed;
  options.no_cache = flags.no_cache;
  options.pull_bases = flags.pull;
  options.build_args = parseBuildArgs(flags.build_args);
  orchestrator::compose::Project project = session.loadProject(flags.services);
  orchestrator::ProjectLock lock(project.name, lockWaitWarning(session, project.name));
  return session.run([&]() -> boost::asio::awaitable<int> {
    orchestrator::images::ImagePreparer images(session.engine(), session.progress(),
                                               preparerOptions(session));
    const std::set<std::string> services(flags.services.begin(), flags.services.end());
    co_await images.build(project, services, options);
    co_return 0;
  });
}

}  // namespace

void addBuildCommand(CommandSetup setup) {
  auto flags = std::make_shared<BuildFlags>();
  CLI::App* build = setup.app.add_subcommand("build", "Build or rebuild services");
  build->add_flag("--no-cache", flags->no_cache,
                  "Do not use cache when building the image (always builds)");
  build->add_flag("--pull", flags->pull,
                  "Always attempt to pull a newer version of the image (always builds)");
  build->add_option("--build-arg", flags->build_args, "Set build-time variables for services");
  build->add_flag("-q,--quiet", flags->quiet, "Don't print anything to STDOUT");
  build->add_option("services", flags->services, "Services to build");
  auto& globals = setup.globals;
  build->callback([flags, &globals, &action = setup.action] {
    action = [flags, &globals] { return runBuild(globals, *flags); };
  });
}

}  // namespace stack::cli
