// `stack push`: push the images of the services that build and name an image.

#include "cli/command.hpp"
#include "cli/commands/image_commands.hpp"

namespace stack::cli {
namespace {

struct PushFlags {
  bool ignore_push_failures = false;
  bool quiet = false;
  std::vector<std::string> services;
};

int runPush(const GlobalOptions& globals, const PushFlags& flags) {
  Session session(quietIf(globals, flags.quiet));
  orchestrator::compose::Project project = session.loadProject(flags.services);
  orchestrator::images::PushOptions options;
  options.ignore_failures = flags.ignore_push_failures;
  options.quiet = flags.quiet;
  return session.run([&]() -> boost::asio::awaitable<int> {
    orchestrator::images::ImagePreparer images(session.engine(), session.progress(),
                                               preparerOptions(session));
    const std::set<std::string> services(flags.services.begin(), flags.services.end());
    co_await images.push(project, services, options);
    co_return 0;
  });
}

}  // namespace

void addPushCommand(CommandSetup setup) {
  auto flags = std::make_shared<PushFlags>();
  CLI::App* push = setup.app.add_subcommand("push", "Push service images");
  push->add_flag("--ignore-push-failures", flags->ignore_push_failures,
                 "Push what it can and ignores images with push failures");
  push->add_flag("-q,--quiet", flags->quiet, "Push without printing progress information");
  push->add_option("services", flags->services, "Services to push");
  auto& globals = setup.globals;
  push->callback([flags, &globals, &action = setup.action] {
    action = [flags, &globals] { return runPush(globals, *flags); };
  });
}

}  // namespace stack::cli
