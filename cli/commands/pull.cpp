// `stack pull`: pull the services' images.

#include "cli/command.hpp"
#include "cli/commands/image_commands.hpp"

namespace stack::cli {
namespace {

struct PullFlags {
  bool ignore_pull_failures = false;
  bool ignore_buildable = false;
  bool quiet = false;
  std::vector<std::string> services;
};

int runPull(const GlobalOptions& globals, const PullFlags& flags) {
  Session session(quietIf(globals, flags.quiet));
  orchestrator::compose::Project project = session.loadProject(flags.services);
  orchestrator::images::PullOptions options;
  options.ignore_failures = flags.ignore_pull_failures;
  options.ignore_buildable = flags.ignore_buildable;
  options.quiet = flags.quiet;
  return session.run([&]() -> boost::asio::awaitable<int> {
    orchestrator::images::ImagePreparer images(session.engine(), session.progress(),
                                               preparerOptions(session));
    const std::set<std::string> services(flags.services.begin(), flags.services.end());
    co_await images.pull(project, services, options);
    co_return 0;
  });
}

}  // namespace

void addPullCommand(CommandSetup setup) {
  auto flags = std::make_shared<PullFlags>();
  CLI::App* pull = setup.app.add_subcommand("pull", "Pull service images");
  pull->add_flag("--ignore-pull-failures", flags->ignore_pull_failures,
                 "Pull what it can and ignores images with pull failures");
  pull->add_flag("--ignore-buildable", flags->ignore_buildable, "Ignore images that can be built");
  pull->add_flag("-q,--quiet", flags->quiet, "Pull without printing progress information");
  pull->add_option("services", flags->services, "Services to pull");
  auto& globals = setup.globals;
  pull->callback([flags, &globals, &action = setup.action] {
    action = [flags, &globals] { return runPull(globals, *flags); };
  });
}

}  // namespace stack::cli
